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
 * The contents of a topology's stores between two drivers, since a driver may live for one
 * step: copied out of a driver and into the next as bytes.
 */
final class TopologyStores {

    private final Map<String, Map<Object, byte[]>> keyValues = new LinkedHashMap<>();
    private final Map<String, List<KeyValue<Windowed<Bytes>, byte[]>>> windows = new LinkedHashMap<>();

    /**
     * @param keyValueStores the key-value stores, with {@code String} or {@code Bytes} keys
     * @param windowStores the window stores, with {@code Bytes} keys
     */
    TopologyStores(List<String> keyValueStores, List<String> windowStores) {
        keyValueStores.forEach(name -> keyValues.put(name, new LinkedHashMap<>()));
        windowStores.forEach(name -> windows.put(name, new ArrayList<>()));
    }

    /** The stores of an aggregate type: snapshots, deadlines and command ids. */
    static TopologyStores of(StoreNames names) {
        return new TopologyStores(List.of(names.snapshots(), names.deadlines()), List.of(names.commandIds()));
    }

    /** Forgets every entry. */
    void clear() {
        keyValues.values().forEach(Map::clear);
        windows.values().forEach(List::clear);
    }

    /** Sets one entry of a key-value store. */
    void put(String store, Object key, byte[] value) {
        keyValues.get(store).put(key, value);
    }

    /** One entry of a key-value store, or null. */
    byte[] get(String store, Object key) {
        return keyValues.get(store).get(key);
    }

    /** Whether a key-value store holds anything. */
    boolean holdsAny(String store) {
        return !keyValues.get(store).isEmpty();
    }

    @SuppressWarnings("unchecked")
    void restoreInto(TopologyTestDriver driver) {
        keyValues.forEach((name, entries) -> {
            KeyValueStore<Object, byte[]> store = driver.getKeyValueStore(name);
            entries.forEach(store::put);
        });
        windows.forEach((name, entries) -> {
            WindowStore<Bytes, byte[]> store = driver.getWindowStore(name);
            entries.forEach(entry -> store.put(entry.key.key(), entry.value, entry.key.window().start()));
        });
    }

    void saveFrom(TopologyTestDriver driver) {
        keyValues.forEach((name, entries) -> {
            entries.clear();
            KeyValueStore<Object, byte[]> store = driver.getKeyValueStore(name);
            try (KeyValueIterator<Object, byte[]> all = store.all()) {
                all.forEachRemaining(entry -> entries.put(entry.key instanceof Bytes bytes ? Bytes.wrap(bytes.get().clone()) : entry.key,
                        entry.value));
            }
        });
        windows.forEach((name, entries) -> {
            entries.clear();
            WindowStore<Bytes, byte[]> store = driver.getWindowStore(name);
            try (KeyValueIterator<Windowed<Bytes>, byte[]> all = store.all()) {
                all.forEachRemaining(entry -> entries.add(KeyValue.pair(
                        new Windowed<>(Bytes.wrap(entry.key.key().get().clone()), entry.key.window()), entry.value)));
            }
        });
    }
}
