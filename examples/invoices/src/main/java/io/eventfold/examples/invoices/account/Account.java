package io.eventfold.examples.invoices.account;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The state of one customer account: every invoice it was charged with, by invoice id.
 *
 * <pre>{@code
 * account.balances();   // {EUR=Balance[owed=420.00, openInvoices=1]}: what the customer owes, per currency
 * }</pre>
 *
 * @param invoices the invoice charges by invoice id, in id order
 */
public record Account(Map<String, InvoiceCharge> invoices) {

    /** The state of an account id that has no events yet. */
    public static final Account NONE = new Account(Map.of());

    /**
     * Copies the charges, sorted by invoice id so that equal accounts have equal snapshots.
     */
    public Account {
        invoices = Collections.unmodifiableMap(new TreeMap<>(invoices));
    }

    /**
     * What the customer owes: the invoices sent and not yet paid or cancelled, per currency.
     *
     * @return the balance per currency, for every currency the account was ever charged in (nothing
     *     owed once all are settled), in code order
     */
    public Map<String, Balance> balances() {
        Map<String, Balance> balances = new TreeMap<>();
        invoices.values().forEach(charge -> balances.put(charge.currency(),
                balances.getOrDefault(charge.currency(), Balance.NONE).plus(charge)));
        return Collections.unmodifiableMap(balances);
    }

    /**
     * The charge of an invoice.
     *
     * @param invoiceId the invoice
     * @return its charge, if the account was charged with it
     */
    public Optional<InvoiceCharge> charge(String invoiceId) {
        return Optional.ofNullable(invoices.get(invoiceId));
    }

    Account with(String invoiceId, InvoiceCharge charge) {
        Map<String, InvoiceCharge> changed = new TreeMap<>(invoices);
        changed.put(invoiceId, charge);
        return new Account(changed);
    }
}
