/**
 * The invoice domain: {@link io.eventfold.examples.invoices.domain.InvoiceAggregate} decides
 * invoice commands with pure functions. It depends only on {@code io.eventfold.core} and {@code java.*}.
 */
package io.eventfold.examples.invoices.domain;
