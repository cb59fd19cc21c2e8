package io.eventfold.examples.invoices.domain;

/** The stable rejection codes of {@link InvoiceAggregate}. Clients branch on these; they never change. */
public final class InvoiceRejections {

    /** {@code CreateInvoice} for an invoice id that exists. */
    public static final String INVOICE_ALREADY_EXISTS = "INVOICE_ALREADY_EXISTS";
    /** Any command but {@code CreateInvoice} for an invoice id that does not exist. */
    public static final String INVOICE_NOT_FOUND = "INVOICE_NOT_FOUND";
    /** Any command for a cancelled invoice. */
    public static final String INVOICE_CANCELLED = "INVOICE_CANCELLED";
    /** A line-item change or a send on an invoice that is not a draft. */
    public static final String INVOICE_NOT_DRAFT = "INVOICE_NOT_DRAFT";
    /** A payment, or marking overdue, of an invoice that is not sent. */
    public static final String INVOICE_NOT_SENT = "INVOICE_NOT_SENT";
    /** A payment, a cancellation or marking overdue of a paid invoice. */
    public static final String INVOICE_ALREADY_PAID = "INVOICE_ALREADY_PAID";
    /** Marking overdue an invoice that is overdue already. */
    public static final String INVOICE_ALREADY_OVERDUE = "INVOICE_ALREADY_OVERDUE";
    /** A send of an invoice without line items. */
    public static final String INVOICE_EMPTY = "INVOICE_EMPTY";
    /** A customer without a name. */
    public static final String INVALID_CUSTOMER = "INVALID_CUSTOMER";
    /** A customer email that is not an address. */
    public static final String INVALID_EMAIL = "INVALID_EMAIL";
    /** A missing issue or due date. */
    public static final String INVALID_DATE = "INVALID_DATE";
    /** A due date before the issue date. */
    public static final String DUE_DATE_BEFORE_ISSUE_DATE = "DUE_DATE_BEFORE_ISSUE_DATE";
    /** A currency that is not a three-letter ISO 4217 code. */
    public static final String INVALID_CURRENCY = "INVALID_CURRENCY";
    /** A line item without an id. */
    public static final String INVALID_LINE_ITEM = "INVALID_LINE_ITEM";
    /** A line item whose id is already on the invoice. */
    public static final String LINE_ITEM_ALREADY_EXISTS = "LINE_ITEM_ALREADY_EXISTS";
    /** A removal of a line item that is not on the invoice. */
    public static final String LINE_ITEM_NOT_FOUND = "LINE_ITEM_NOT_FOUND";
    /** A quantity of zero or less. */
    public static final String INVALID_QUANTITY = "INVALID_QUANTITY";
    /** A negative unit price. */
    public static final String INVALID_PRICE = "INVALID_PRICE";
    /** A tax rate that is missing, negative, or not below 1. */
    public static final String INVALID_TAX_RATE = "INVALID_TAX_RATE";
    /** A payment that does not equal the invoice total. */
    public static final String PAYMENT_AMOUNT_MISMATCH = "PAYMENT_AMOUNT_MISMATCH";

    private InvoiceRejections() {
    }
}
