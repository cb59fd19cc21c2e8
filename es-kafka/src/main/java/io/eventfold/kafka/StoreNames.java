package io.eventfold.kafka;

/** Names of the state stores of one aggregate type; their changelog topics derive from them. */
public final class StoreNames {

    private StoreNames() {
    }

    /**
     * The store of each aggregate's latest snapshot: aggregate id → snapshot envelope.
     *
     * @param type the aggregate type
     * @return the store name, {@code <type>-snapshot-store}
     */
    public static String snapshots(AggregateType<?, ?, ?> type) {
        return type.name() + "-snapshot-store";
    }

    /**
     * The store of handled command ids: aggregate id and command id → handled-at time and result
     * envelope, with its expiry index.
     *
     * @param type the aggregate type
     * @return the store name, {@code <type>-command-id-store}
     */
    public static String commandIds(AggregateType<?, ?, ?> type) {
        return type.name() + "-command-id-store";
    }
}
