/**
 * The customer account domain: {@link io.eventfold.examples.invoices.account.AccountAggregate}
 * keeps what each customer owes, one entry per invoice, and
 * {@link io.eventfold.examples.invoices.account.InvoiceAccounts} keeps it in step with the
 * invoices. Pure functions; it depends only on {@code io.eventfold.core}, the invoice domain's
 * events and {@code java.*}.
 */
package io.eventfold.examples.invoices.account;
