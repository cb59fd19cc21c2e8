package io.eventfold.examples.invoices.readmodel;

import java.math.BigDecimal;

/**
 * One row of the customer balances: what one customer owes in one currency.
 *
 * @param accountId the customer's account, the email address in lower case
 * @param currency the ISO 4217 code
 * @param owed the total of the invoices sent and not yet paid or cancelled
 * @param openInvoices how many invoices that is
 * @param version the account's version this row reflects
 */
public record AccountBalance(String accountId, String currency, BigDecimal owed, int openInvoices, long version) {
}
