package io.eventfold.testkit.internal;

import io.eventfold.kafka.StoreNames;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of an aggregate type's stores between two drivers, since a driver lives for one
 * step: snapshots, command ids and deadlines, copied out of a driver and into the next as bytes.
 */
final class TopologyStores {

    private final StoreNames names;
    private final Map<String, byte[]> snapshots = new LinkedHashMap<>();
    private final List<KeyValue<Windowed<Bytes>, byte[]>> commandIds = new ArrayList<>();
    private final Map<Bytes, byte[]> deadlines = new LinkedHashMap<>();

    TopologyStores(StoreNames names) {
        this.names = names;
    }

    /** Starts over with one stored snapshot, or none. */
    void startWith(String aggregateId, byte[] snapshot) {
        snapshots.clear();
        commandIds.clear();
        deadlines.clear();
        if (snapshot != null) {
            snapshots.put(aggregateId, snapshot);
        }
    }

    /** Whether deadlines wait in the store: then a driver must live on for its timer to fire them. */
    boolean hasDeadlines() {
        return !deadlines.isEmpty();
    }

    /** The stored snapshot of an aggregate, or null. */
    byte[] snapshot(String aggregateId) {
        return snapshots.get(aggregateId);
    }

    void restoreInto(TopologyTestDriver driver) {
        KeyValueStore<String, byte[]> snapshotStore = driver.getKeyValueStore(names.snapshots());
        snapshots.forEach(snapshotStore::put);
        WindowStore<Bytes, byte[]> commandIdStore = driver.getWindowStore(names.commandIds());
        commandIds.forEach(entry -> commandIdStore.put(entry.key.key(), entry.value, entry.key.window().start()));
        KeyValueStore<Bytes, byte[]> deadlineStore = driver.getKeyValueStore(names.deadlines());
        deadlines.forEach(deadlineStore::put);
    }

    void saveFrom(TopologyTestDriver driver) {
        snapshots.clear();
        KeyValueStore<String, byte[]> snapshotStore = driver.getKeyValueStore(names.snapshots());
        try (KeyValueIterator<String, byte[]> all = snapshotStore.all()) {
            all.forEachRemaining(entry -> snapshots.put(entry.key, entry.value));
        }
        commandIds.clear();
        WindowStore<Bytes, byte[]> commandIdStore = driver.getWindowStore(names.commandIds());
        try (KeyValueIterator<Windowed<Bytes>, byte[]> all = commandIdStore.all()) {
            all.forEachRemaining(entry -> commandIds.add(KeyValue.pair(
                    new Windowed<>(Bytes.wrap(entry.key.key().get().clone()), entry.key.window()), entry.value)));
        }
        deadlines.clear();
        KeyValueStore<Bytes, byte[]> deadlineStore = driver.getKeyValueStore(names.deadlines());
        try (KeyValueIterator<Bytes, byte[]> all = deadlineStore.all()) {
            all.forEachRemaining(entry -> deadlines.put(Bytes.wrap(entry.key.get().clone()), entry.value));
        }
    }
}
