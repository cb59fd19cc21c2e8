package io.eventfold.kafka;

/**
 * Names of the state stores of one aggregate type; their changelog topics derive from them.
 *
 * <pre>{@code
 * ReadOnlyKeyValueStore<String, byte[]> snapshots = streams.store(StoreQueryParameters.fromNameAndType(
 *         StoreNames.snapshots(invoices), QueryableStoreTypes.keyValueStore()));
 * }</pre>
 */
public final class StoreNames {

    private StoreNames() {
    }

    /**
     * The store of aggregate id → latest snapshot envelope.
     *
     * @param type the aggregate type
     * @return the store's name, e.g. {@code invoice-snapshot-store}
     */
    public static String snapshots(AggregateType<?, ?, ?> type) {
        return type.name() + "-snapshot-store";
    }

    /**
     * The store of aggregate id and command id → handled-at time and result envelope, with its expiry index.
     *
     * @param type the aggregate type
     * @return the store's name, e.g. {@code invoice-command-id-store}
     */
    public static String commandIds(AggregateType<?, ?, ?> type) {
        return type.name() + "-command-id-store";
    }
}
