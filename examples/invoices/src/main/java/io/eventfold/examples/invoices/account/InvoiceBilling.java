package io.eventfold.examples.invoices.account;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link InvoiceAccounts} knows of one invoice: whose account it goes to, its lines' totals
 * as they are added and removed, and whether the account was charged with it.
 *
 * @param accountId the customer's account; empty before the invoice is created
 * @param currency the invoice's currency; empty before it is created
 * @param lines the total with tax of each line, by line id
 * @param charged whether the account was sent the invoice's charge
 */
public record InvoiceBilling(String accountId, String currency, Map<String, BigDecimal> lines, boolean charged) {

    /** Before the invoice's first event. */
    public static final InvoiceBilling NONE = new InvoiceBilling("", "", Map.of(), false);

    /**
     * Copies the lines, sorted by id so that equal states are stored alike.
     */
    public InvoiceBilling {
        lines = Collections.unmodifiableMap(new TreeMap<>(lines));
    }

    /**
     * The invoice's total with tax: the sum of its lines.
     *
     * @return the total, zero without lines
     */
    public BigDecimal total() {
        return lines.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    InvoiceBilling createdFor(String newAccountId, String newCurrency) {
        return new InvoiceBilling(newAccountId, newCurrency, lines, charged);
    }

    InvoiceBilling withLine(String lineItemId, BigDecimal total) {
        Map<String, BigDecimal> changed = new TreeMap<>(lines);
        changed.put(lineItemId, total);
        return new InvoiceBilling(accountId, currency, changed, charged);
    }

    InvoiceBilling withoutLine(String lineItemId) {
        Map<String, BigDecimal> changed = new TreeMap<>(lines);
        changed.remove(lineItemId);
        return new InvoiceBilling(accountId, currency, changed, charged);
    }

    InvoiceBilling asCharged() {
        return new InvoiceBilling(accountId, currency, lines, true);
    }
}
