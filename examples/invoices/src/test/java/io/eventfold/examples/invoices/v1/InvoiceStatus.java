package io.eventfold.examples.invoices.v1;

/** Where an invoice is in its life: {@code DRAFT → SENT → PAID}, or {@code CANCELLED}. */
public enum InvoiceStatus {
    /** Not created yet: the state of an invoice id without events. */
    NONE,
    /** Created; line items may still change. */
    DRAFT,
    /** Sent to the customer; waiting for payment. */
    SENT,
    /** Paid in full. Final. */
    PAID,
    /** Cancelled. Final. */
    CANCELLED
}
