package io.eventfold.examples.invoices.v1;

import java.math.BigDecimal;

/**
 * One line of an invoice.
 *
 * @param lineItemId a stable id, so a line can be removed whatever its position
 * @param description what is billed
 * @param quantity how many units, {@code > 0}
 * @param unitPrice the price of one unit, {@code >= 0}
 */
public record LineItem(String lineItemId, String description, int quantity, BigDecimal unitPrice) {

    /**
     * The price of the whole line.
     *
     * @return quantity × unit price
     */
    public BigDecimal total() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
