package io.eventfold.examples.invoices.account;

import java.math.BigDecimal;

/**
 * Everything that can be asked of a customer account. The account id (the customer's email
 * address, see {@link InvoiceAccounts#accountId}) travels in the command envelope. Every command
 * names the invoice it is about, and each invoice is charged at most once.
 */
public sealed interface AccountCommand {

    /**
     * The invoice of the command.
     *
     * @return the invoice id
     */
    String invoiceId();

    /**
     * Charges the account with a sent invoice.
     *
     * @param invoiceId the invoice, not charged to this account before
     * @param currency its ISO 4217 currency code
     * @param amount its total with tax, {@code >= 0}
     */
    record ChargeAccount(String invoiceId, String currency, BigDecimal amount) implements AccountCommand {
    }

    /**
     * Credits the account with the payment of a charged invoice.
     *
     * @param invoiceId the invoice, charged and still open
     * @param currency the payment's currency, the invoice's
     * @param amount the amount paid, the invoice's total
     */
    record CreditAccount(String invoiceId, String currency, BigDecimal amount) implements AccountCommand {
    }

    /**
     * Takes back the charge of an invoice cancelled before it was paid.
     *
     * @param invoiceId the invoice, charged and still open
     */
    record ReverseCharge(String invoiceId) implements AccountCommand {
    }
}
