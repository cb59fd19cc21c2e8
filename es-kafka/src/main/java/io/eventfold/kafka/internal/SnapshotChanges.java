package io.eventfold.kafka.internal;

import io.eventfold.core.ErrorText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells whoever listens in this JVM which aggregates got a new snapshot, the moment the command
 * topology stored it: the wake-up behind {@code AggregateStore.awaitVersion}, so that a waiter
 * reads the store when its aggregate changed instead of polling it.
 *
 * <p>The command processor calls {@link #changed} once it has stored a snapshot and forwarded
 * the command's outputs, so an interactive query made after the call sees the new version. Listeners are found by the
 * snapshot store's name, the one thing the topology and a store reader of the same aggregate
 * type share; two applications of one JVM that use the same name only wake each other's
 * waiters for nothing, which costs a read. Restoring a store from its changelog signals
 * nothing: readers of a store that is not queryable retry on a timer.
 */
public final class SnapshotChanges {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotChanges.class);
    private static final Map<String, SnapshotChanges> BY_STORE = new ConcurrentHashMap<>();

    private final String storeName;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    private SnapshotChanges(String storeName) {
        this.storeName = storeName;
    }

    /**
     * The changes of one snapshot store.
     *
     * @param storeName the snapshot store's name, {@code type.stores().snapshots()}
     * @return the one instance of this JVM for that name
     */
    public static SnapshotChanges of(String storeName) {
        return BY_STORE.computeIfAbsent(storeName, SnapshotChanges::new);
    }

    /**
     * Calls a listener with the id of every aggregate whose snapshot changes from now on. It runs
     * on a stream thread: it must return at once and hand any work to a thread of its own.
     *
     * @param listener gets the aggregate id
     * @return what stops the calls
     */
    public Runnable subscribe(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Signals that an aggregate has a new snapshot in the store.
     *
     * @param aggregateId the aggregate
     */
    public void changed(String aggregateId) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(aggregateId);
            } catch (RuntimeException e) {
                // A reader's bug must not stop the stream thread that handles commands.
                LOG.warn("a listener of {} failed on aggregate {}", storeName, ErrorText.bounded(aggregateId), e);
            }
        }
    }
}
