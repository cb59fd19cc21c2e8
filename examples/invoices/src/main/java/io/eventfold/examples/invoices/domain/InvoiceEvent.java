package io.eventfold.examples.invoices.domain;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Everything that can happen to an invoice, in the past tense. */
public sealed interface InvoiceEvent {

    /**
     * A draft invoice was created.
     *
     * @param customer who is billed
     * @param issueDate the date on the invoice
     * @param dueDate when payment is due
     * @param currency the ISO 4217 currency code
     */
    record InvoiceCreated(Customer customer, LocalDate issueDate, LocalDate dueDate, String currency)
            implements InvoiceEvent {
    }

    /**
     * A line was added.
     *
     * @param lineItem the new line
     */
    record LineItemAdded(LineItem lineItem) implements InvoiceEvent {
    }

    /**
     * A line was removed.
     *
     * @param lineItemId the id of the removed line
     */
    record LineItemRemoved(String lineItemId) implements InvoiceEvent {
    }

    /** The invoice was sent to the customer. */
    record InvoiceSent() implements InvoiceEvent {
    }

    /**
     * The invoice's due date passed and it was not paid.
     *
     * @param dueDate the due date it passed
     */
    record InvoiceOverdue(LocalDate dueDate) implements InvoiceEvent {
    }

    /**
     * The invoice was paid in full. The first release called this event {@code PaymentReceived};
     * {@code InvoiceUpcasters} renames the stored ones.
     *
     * @param amount the amount received
     */
    record InvoicePaid(BigDecimal amount) implements InvoiceEvent {
    }

    /**
     * The invoice was cancelled.
     *
     * @param reason why
     */
    record InvoiceCancelled(String reason) implements InvoiceEvent {
    }
}
