package io.eventfold.examples.invoices.domain;

/**
 * Where an invoice is in its life: {@code DRAFT → SENT → PAID}, or {@code SENT → OVERDUE → PAID}
 * when its due date passes unpaid, or {@code CANCELLED} before it is paid.
 */
public enum InvoiceStatus {
    /** Not created yet: the state of an invoice id without events. */
    NONE,
    /** Created; line items may still change. */
    DRAFT,
    /** Sent to the customer; waiting for payment. */
    SENT,
    /**
     * Sent, and its due date has passed unpaid (set by the invoice's own deadline, see
     * {@link Invoice#overdueAt()}); it can still be paid or cancelled.
     */
    OVERDUE,
    /** Paid in full. Final. */
    PAID,
    /** Cancelled. Final. */
    CANCELLED
}
