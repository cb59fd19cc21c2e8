package io.eventfold.examples.invoices.account;

/** The stable rejection codes of {@link AccountAggregate}. Clients branch on these; they never change. */
public final class AccountRejections {

    /** A charge of an invoice this account was charged with before: each invoice is charged once. */
    public static final String INVOICE_ALREADY_CHARGED = "INVOICE_ALREADY_CHARGED";
    /** A credit or reversal of an invoice this account was never charged with. */
    public static final String INVOICE_NOT_CHARGED = "INVOICE_NOT_CHARGED";
    /** A credit or reversal of an invoice already credited or reversed. */
    public static final String INVOICE_ALREADY_SETTLED = "INVOICE_ALREADY_SETTLED";
    /** A credit whose currency or amount is not the charge's. */
    public static final String CREDIT_MISMATCH = "CREDIT_MISMATCH";
    /** A command without an invoice id. */
    public static final String INVALID_INVOICE = "INVALID_INVOICE";
    /** A currency that is not a three-letter ISO 4217 code. */
    public static final String INVALID_CURRENCY = "INVALID_CURRENCY";
    /** A missing or negative amount. */
    public static final String INVALID_AMOUNT = "INVALID_AMOUNT";

    private AccountRejections() {
    }
}
