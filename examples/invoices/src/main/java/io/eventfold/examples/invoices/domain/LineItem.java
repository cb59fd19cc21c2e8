package io.eventfold.examples.invoices.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One line of an invoice.
 *
 * @param lineItemId a stable id, so a line can be removed whatever its position
 * @param description what is billed
 * @param quantity how many units, {@code > 0}
 * @param unitPrice the price of one unit before tax, {@code >= 0}
 * @param taxRate the tax on the line as a fraction, {@code 0 <= taxRate < 1} ({@code 0.20} is 20 %);
 *        lines of the first release, which had no tax, read as {@code 0}
 */
public record LineItem(String lineItemId, String description, int quantity, BigDecimal unitPrice, BigDecimal taxRate) {

    /**
     * The price of the whole line before tax.
     *
     * @return quantity × unit price
     */
    public BigDecimal net() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }

    /**
     * The tax of the whole line, rounded half up to the precision of its net price.
     *
     * @return net × tax rate; zero for an untaxed line
     */
    public BigDecimal tax() {
        BigDecimal net = net();
        return net.multiply(taxRate).setScale(net.scale(), RoundingMode.HALF_UP);
    }

    /**
     * The price of the whole line with tax: what the customer pays for it.
     *
     * @return net + tax; for an untaxed line exactly the net price, scale included
     */
    public BigDecimal total() {
        return net().add(tax());
    }
}
