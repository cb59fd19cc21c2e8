package io.eventfold.examples.invoices.account;

import java.math.BigDecimal;

/**
 * What an account holds for one invoice.
 *
 * @param currency the invoice's currency
 * @param amount its total with tax, as charged
 * @param status whether the customer still owes it
 */
public record InvoiceCharge(String currency, BigDecimal amount, Status status) {

    /** Whether the customer still owes an invoice's amount. */
    public enum Status {
        /** Charged, not paid: part of the balance. */
        OPEN,
        /** Paid. */
        CREDITED,
        /** Cancelled before it was paid. */
        REVERSED
    }

    InvoiceCharge withStatus(Status newStatus) {
        return new InvoiceCharge(currency, amount, newStatus);
    }
}
