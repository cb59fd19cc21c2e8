package io.eventfold.examples.invoices.v1;

/**
 * Who an invoice is addressed to.
 *
 * @param name the customer's name
 * @param email where the invoice is sent
 */
public record Customer(String name, String email) {
}
