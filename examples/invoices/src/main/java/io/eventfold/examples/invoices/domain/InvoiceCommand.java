package io.eventfold.examples.invoices.domain;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Everything that can be asked of an invoice. The invoice id travels in the command envelope. */
public sealed interface InvoiceCommand {

    /**
     * Creates a draft invoice.
     *
     * @param customer who is billed
     * @param issueDate the date on the invoice
     * @param dueDate when payment is due, not before {@code issueDate}
     * @param currency an ISO 4217 code such as {@code EUR}
     */
    record CreateInvoice(Customer customer, LocalDate issueDate, LocalDate dueDate, String currency)
            implements InvoiceCommand {
    }

    /**
     * Adds a line to a draft invoice.
     *
     * @param lineItem the line, with an id not used on this invoice yet and a tax rate {@code >= 0} and {@code < 1}
     */
    record AddLineItem(LineItem lineItem) implements InvoiceCommand {
    }

    /**
     * Removes a line from a draft invoice.
     *
     * @param lineItemId the id of the line to remove
     */
    record RemoveLineItem(String lineItemId) implements InvoiceCommand {
    }

    /** Sends a draft invoice that has at least one line. */
    record SendInvoice() implements InvoiceCommand {
    }

    /**
     * Pays a sent invoice in full.
     *
     * @param amount the amount paid, equal to the invoice total with tax
     */
    record PayInvoice(BigDecimal amount) implements InvoiceCommand {
    }

    /**
     * Marks a sent invoice overdue. Nobody sends it by hand: the invoice schedules it when it is
     * sent, for {@link Invoice#overdueAt()}, and cancels it when it is paid or cancelled first.
     */
    record MarkOverdue() implements InvoiceCommand {
    }

    /**
     * Cancels an invoice that is not paid.
     *
     * @param reason why, for the history
     */
    record CancelInvoice(String reason) implements InvoiceCommand {
    }
}
