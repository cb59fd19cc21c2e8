package io.eventfold.kafka.internal;

import io.eventfold.core.Snapshot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded current snapshots of the aggregates a partition handled most recently, so that a
 * command does not decode its aggregate's snapshot from the store's JSON again. It mirrors the
 * snapshot store and is never the truth: its owner puts what it writes to the store, forgets what
 * anything else writes there, and clears it whenever the task is initialised or closed (Kafka
 * Streams closes a task's processors before any of its store changes are rolled back, as after an
 * aborted transaction, and initialises them again before it processes more).
 *
 * <pre>{@code
 * DecodedSnapshots<Invoice> decoded = new DecodedSnapshots<>(10_000);
 * decoded.put("INV-7", snapshot);
 * decoded.get("INV-7");   // snapshot, until 10,000 other aggregates were handled since
 * }</pre>
 *
 * @param <S> the state type
 */
final class DecodedSnapshots<S> {

    private final int capacity;
    private final LinkedHashMap<String, Snapshot<S>> entries;

    /**
     * A cache of at most {@code capacity} snapshots; 0 keeps none.
     *
     * @param capacity the most snapshots kept
     */
    DecodedSnapshots(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be at least 0 but was " + capacity);
        }
        this.capacity = capacity;
        // Access order: the aggregate handled longest ago goes first.
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Snapshot<S>> eldest) {
                return size() > DecodedSnapshots.this.capacity;
            }
        };
    }

    /** The snapshot kept for this aggregate, or null. */
    Snapshot<S> get(String aggregateId) {
        return entries.get(aggregateId);
    }

    /** Keeps the snapshot just written to the store, or just read from it. */
    void put(String aggregateId, Snapshot<S> snapshot) {
        if (capacity > 0) {
            entries.put(aggregateId, snapshot);
        }
    }

    /** Forgets an aggregate whose store entry changed by other means than {@link #put}. */
    void forget(String aggregateId) {
        entries.remove(aggregateId);
    }

    /** Forgets everything. */
    void clear() {
        entries.clear();
    }

    /** How many snapshots are kept. */
    int size() {
        return entries.size();
    }
}
