package io.eventfold.examples.invoices.readmodel;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One row of the invoice list.
 *
 * @param invoiceId the invoice
 * @param customerName who is billed
 * @param customerEmail where the invoice goes
 * @param status DRAFT, SENT, PAID or CANCELLED
 * @param currency the ISO 4217 code
 * @param total the sum of the line items
 * @param issueDate the date on the invoice
 * @param dueDate when payment is due
 * @param lineItems how many lines the invoice has
 * @param version the invoice's version this row reflects
 */
public record InvoiceSummary(String invoiceId, String customerName, String customerEmail, String status, String currency,
                             BigDecimal total, LocalDate issueDate, LocalDate dueDate, int lineItems, long version) {
}
