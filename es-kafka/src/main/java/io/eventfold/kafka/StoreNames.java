package io.eventfold.kafka;


/** Names of the state stores of one aggregate type; their changelog topics derive from them. */
public final class StoreNames {

    private StoreNames() {
    }

    /** Aggregate id → latest snapshot envelope. */
    public static String snapshots(AggregateType<?, ?, ?> type) {
        return type.name() + "-snapshot-store";
    }

    /** Aggregate id and command id → handled-at time and result envelope, with its expiry index. */
    public static String commandIds(AggregateType<?, ?, ?> type) {
        return type.name() + "-command-id-store";
    }
}
