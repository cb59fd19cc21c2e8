package io.eventfold.examples.invoices.account;

import java.math.BigDecimal;

/**
 * What a customer owes in one currency.
 *
 * <pre>{@code
 * account.balances().get("EUR");   // Balance[owed=420.00, openInvoices=1]
 * }</pre>
 *
 * @param owed the total of the invoices sent and not yet paid or cancelled
 * @param openInvoices how many invoices that is
 */
public record Balance(BigDecimal owed, int openInvoices) {

    /** Nothing owed. */
    public static final Balance NONE = new Balance(BigDecimal.ZERO, 0);

    Balance plus(InvoiceCharge charge) {
        return charge.status() == InvoiceCharge.Status.OPEN ? new Balance(owed.add(charge.amount()), openInvoices + 1) : this;
    }
}
