package io.eventfold.examples.invoices.account;

import java.math.BigDecimal;

/** Everything that can happen to a customer account, in the past tense; each names its invoice. */
public sealed interface AccountEvent {

    /**
     * The invoice of the event.
     *
     * @return the invoice id
     */
    String invoiceId();

    /**
     * The account was charged with a sent invoice: the customer owes its amount.
     *
     * @param invoiceId the invoice
     * @param currency its currency
     * @param amount its total with tax
     */
    record AccountCharged(String invoiceId, String currency, BigDecimal amount) implements AccountEvent {
    }

    /**
     * The invoice's payment was credited: the customer owes its amount no more.
     *
     * @param invoiceId the invoice
     * @param currency its currency
     * @param amount the amount paid
     */
    record AccountCredited(String invoiceId, String currency, BigDecimal amount) implements AccountEvent {
    }

    /**
     * The invoice's charge was taken back, the invoice cancelled unpaid.
     *
     * @param invoiceId the invoice
     * @param currency its currency
     * @param amount the amount the charge was
     */
    record ChargeReversed(String invoiceId, String currency, BigDecimal amount) implements AccountEvent {
    }
}
