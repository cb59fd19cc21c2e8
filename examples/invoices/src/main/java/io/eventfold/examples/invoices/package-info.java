/**
 * The invoice example application; {@link io.eventfold.examples.invoices.InvoicesApp} is its entry point.
 */
package io.eventfold.examples.invoices;
