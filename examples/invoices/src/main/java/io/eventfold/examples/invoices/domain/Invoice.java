package io.eventfold.examples.invoices.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state of one invoice.
 *
 * @param status where the invoice is in its life; {@link InvoiceStatus#NONE} before it is created
 * @param customer who is billed; {@code null} only before creation
 * @param issueDate the date on the invoice; {@code null} only before creation
 * @param dueDate when payment is due; {@code null} only before creation
 * @param currency the ISO 4217 currency code; empty only before creation
 * @param lineItems the lines in the order they were added
 */
public record Invoice(
        InvoiceStatus status,
        Customer customer,
        LocalDate issueDate,
        LocalDate dueDate,
        String currency,
        List<LineItem> lineItems) {

    /** The state of an invoice id that has no events yet. */
    public static final Invoice NONE = new Invoice(InvoiceStatus.NONE, null, null, null, "", List.of());

    /**
     * Copies the line items.
     */
    public Invoice {
        lineItems = List.copyOf(lineItems);
    }

    /**
     * The sum of all lines, tax included: what the customer pays.
     *
     * @return the total, zero for an invoice without lines
     */
    public BigDecimal total() {
        return lineItems.stream().map(LineItem::total).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * When a sent invoice that is still unpaid becomes overdue: the start of the day after its due
     * date, in UTC (the whole due date is the customer's, wherever they are, give or take the zone).
     *
     * <pre>{@code
     * invoice.overdueAt();   // due 2026-12-22 → 2026-12-23T00:00:00Z
     * }</pre>
     *
     * @return the instant the invoice's "overdue" deadline is scheduled for
     * @throws NullPointerException before creation, when there is no due date
     */
    public Instant overdueAt() {
        return dueDate.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * Finds a line by its id.
     *
     * @param lineItemId the line's id
     * @return the line, if the invoice has it
     */
    public Optional<LineItem> lineItem(String lineItemId) {
        return lineItems.stream().filter(item -> item.lineItemId().equals(lineItemId)).findFirst();
    }

    Invoice withStatus(InvoiceStatus newStatus) {
        return new Invoice(newStatus, customer, issueDate, dueDate, currency, lineItems);
    }

    Invoice withLineItems(List<LineItem> newLineItems) {
        return new Invoice(status, customer, issueDate, dueDate, currency, newLineItems);
    }

    Invoice plus(LineItem lineItem) {
        List<LineItem> lines = new ArrayList<>(lineItems);
        lines.add(lineItem);
        return withLineItems(lines);
    }

    Invoice minus(String lineItemId) {
        return withLineItems(lineItems.stream().filter(item -> !item.lineItemId().equals(lineItemId)).toList());
    }
}
