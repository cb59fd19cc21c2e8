package io.eventfold.kafka.client;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.SnapshotVersionException;
import io.eventfold.kafka.SnapshotsRebuildingException;
import io.eventfold.kafka.internal.RebuildProgress;
import io.eventfold.core.ErrorText;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import io.eventfold.kafka.internal.CommandIds;
import io.eventfold.kafka.internal.SnapshotChanges;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Snapshot;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Reads the current state of aggregates, and past command results, from the local stores of a
 * running command topology (Kafka Streams interactive queries).
 *
 * <pre>{@code
 * AggregateStore<InvoiceCommand, InvoiceEvent, Invoice> store = AggregateStore.of(streams, invoices);
 * CommandResult<InvoiceEvent, Invoice> result = gateway.send("INV-7", new SendInvoice(), any()).join();
 * Snapshot<Invoice> fresh = store.awaitVersion("INV-7", result.version(), Duration.ofSeconds(2)).join();
 * }</pre>
 *
 * <p>Only the instance whose task owns an aggregate's partition can answer for it. When the
 * instances set {@code application.server}, the others throw {@link AggregateElsewhereException}
 * naming the owner; without it, an instance answers from the partitions it hosts and finds
 * nothing for the others, which is exact for a single instance. While the application
 * starts or rebalances they throw Kafka's {@link InvalidStateStoreException}: retry. While the
 * aggregate's partition rebuilds its snapshots after a state-version change, reads throw
 * {@link SnapshotsRebuildingException}: retry ({@link #awaitVersion} keeps waiting by itself).
 * Under {@code exactly_once_v2} a query may see the state of a command whose transaction has
 * not committed yet; clients that must see only committed state read the snapshots topic with
 * {@code read_committed} instead.
 *
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public final class AggregateStore<C, E, S> implements AutoCloseable {

    /** Restoring a store signals no change: while it cannot be queried, waiters read it again this often. */
    private static final Duration RETRY_NOT_QUERYABLE = Duration.ofMillis(100);
    /** A restore signals no change: a waiting aggregate is read again after this long without one. */
    private static final Duration REREAD_UNSIGNALLED = Duration.ofSeconds(10);

    private final KafkaStreams streams;
    private final AggregateType<C, E, S> type;
    private final VersionWaits<S> waits;
    private final Runnable stopListening;

    private AggregateStore(KafkaStreams streams, AggregateType<C, E, S> type) {
        this.streams = Objects.requireNonNull(streams, "streams must not be null");
        this.type = Objects.requireNonNull(type, "type must not be null");
        this.waits = new VersionWaits<>(this::current, RETRY_NOT_QUERYABLE, REREAD_UNSIGNALLED);
        this.stopListening = SnapshotChanges.of(type.stores().snapshots()).subscribe(waits::changed);
    }

    /**
     * Queries the stores of an aggregate type in a running application.
     *
     * @param streams the application, started with the type's topology
     * @param type the aggregate type
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return a store; close it to stop its {@link #awaitVersion} thread
     */
    public static <C, E, S> AggregateStore<C, E, S> of(KafkaStreams streams, AggregateType<C, E, S> type) {
        return new AggregateStore<>(streams, type);
    }

    /**
     * The latest snapshot of an aggregate.
     *
     * @param aggregateId the aggregate
     * @return its snapshot, or empty when it has no events
     * @throws AggregateElsewhereException when another instance owns the aggregate
     * @throws InvalidStateStoreException while the store is not queryable (starting, rebalancing)
     * @throws SnapshotsRebuildingException while the aggregate's partition rebuilds its snapshots
     */
    public Optional<Snapshot<S>> get(String aggregateId) {
        Objects.requireNonNull(aggregateId, "aggregateId must not be null");
        if (aggregateId.isBlank()) {
            // The blank key of the snapshot store holds the rebuild marker, never an aggregate.
            throw new IllegalArgumentException("aggregateId must not be blank");
        }
        ReadOnlyKeyValueStore<String, byte[]> store = localStore(type.stores().snapshots(), aggregateId,
                QueryableStoreTypes.<String, byte[]>keyValueStore());
        requireNotRebuilding(aggregateId);
        byte[] bytes = store.get(aggregateId);
        try {
            return Optional.ofNullable(bytes).map(value -> type.serdes().snapshots().deserializer().deserialize("", value));
        } catch (SnapshotVersionException older) {
            throw rebuilding(aggregateId, "its stored snapshot is of state version " + older.storedVersion()
                    + " and is being rebuilt for state version " + older.currentVersion());
        }
    }

    /** While a partition replays its events its entries are incomplete: none is read as current. */
    private void requireNotRebuilding(String aggregateId) {
        KeyQueryMetadata metadata = metadata(aggregateId);
        int partition = metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) ? -1 : metadata.partition();
        if (RebuildProgress.rebuilding(type.stores().snapshots(), partition)) {
            throw rebuilding(aggregateId, "partition " + (partition < 0 ? "(unknown)" : partition)
                    + " is rebuilding its snapshots for state version " + type.stateVersion());
        }
    }

    private SnapshotsRebuildingException rebuilding(String aggregateId, String why) {
        return new SnapshotsRebuildingException("the snapshot of " + type.name() + " aggregate " + ErrorText.bounded(aggregateId)
                + " cannot be read yet: " + why + "; ask again (see SnapshotRebuilds)");
    }

    /**
     * Completes once an aggregate has reached a version: read your own writes after a command.
     * A wait costs nothing while its aggregate does not change: the waiters of an aggregate read
     * its snapshot when they arrive, then once each time the topology stores a new snapshot of it
     * (every 100 ms instead while the store cannot be queried: starting, rebalancing, restoring).
     *
     * @param aggregateId the aggregate
     * @param minVersion the version to wait for, typically {@link CommandResult#version()}
     * @param timeout how long to wait
     * @return the first snapshot seen at {@code minVersion} or later (for version 0 and an
     *     aggregate without events, its initial state at once); completes exceptionally with
     *     a {@link TimeoutException} naming the aggregate, the version awaited and the last
     *     version seen when the version is not reached in time, with
     *     {@link AggregateElsewhereException} when another instance owns the aggregate, or with
     *     the reader's error when its snapshot cannot be read
     */
    public CompletableFuture<Snapshot<S>> awaitVersion(String aggregateId, long minVersion, Duration timeout) {
        Objects.requireNonNull(aggregateId, "aggregateId must not be null");
        Objects.requireNonNull(timeout, "timeout must not be null");
        return waits.await(aggregateId, minVersion, timeout);
    }

    /**
     * What a command handled within the command-id retention is answered when it is delivered
     * again, for a client that timed out and wants to know what happened: its
     * {@link CommandResult#redeliveryAnswer() redelivery answer} ({@code AlreadyAccepted} with the
     * version and the number of events for an accepted command, the rejection or conflict as it
     * was). A failed command is not remembered.
     *
     * @param aggregateId the aggregate the command was for
     * @param commandId the command
     * @return its answer, or empty when the command was never handled, failed or has expired
     * @throws AggregateElsewhereException when another instance owns the aggregate
     */
    public Optional<CommandResult<E, S>> commandResult(String aggregateId, String commandId) {
        Objects.requireNonNull(commandId, "commandId must not be null");
        return CommandIds.answer(localStore(type.stores().commandIds(), aggregateId, QueryableStoreTypes.<Bytes, byte[]>windowStore()),
                type.commandIdRetention(), aggregateId, commandId, System.currentTimeMillis());
    }

    /**
     * Where an aggregate's partition is hosted, for routing a query to the owning instance.
     *
     * @param aggregateId the aggregate
     * @return the key's query metadata, {@link KeyQueryMetadata#NOT_AVAILABLE} while unknown
     */
    public KeyQueryMetadata metadata(String aggregateId) {
        return streams.queryMetadataForKey(type.stores().snapshots(), aggregateId, Serdes.String().serializer());
    }

    private <T> T localStore(String storeName, String aggregateId, QueryableStoreType<T> storeType) {
        Objects.requireNonNull(aggregateId, "aggregateId must not be null");
        KeyQueryMetadata metadata = metadata(aggregateId);
        boolean located = metadata != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) && metadata.partition() >= 0;
        if (!located) {
            if (streams.state() != KafkaStreams.State.RUNNING) {
                throw new InvalidStateStoreException("the stores of '" + type.name() + "' are not queryable yet (state "
                        + streams.state() + ")");
            }
            // Kafka Streams locates keys only when instances set application.server; without it
            // this instance can answer only from the partitions it hosts.
            return streams.store(StoreQueryParameters.fromNameAndType(storeName, storeType));
        }
        if (!ownsLocally(metadata.partition())) {
            throw new AggregateElsewhereException(aggregateId, metadata);
        }
        return streams.store(StoreQueryParameters.fromNameAndType(storeName, storeType).withPartition(metadata.partition()));
    }

    private boolean ownsLocally(int partition) {
        TopicPartition wanted = new TopicPartition(type.topics().commands(), partition);
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .anyMatch(task -> task.topicPartitions().contains(wanted));
    }

    /** An aggregate without events has no stored snapshot: it is at version 0, in its initial state. */
    private Snapshot<S> current(String aggregateId) {
        return get(aggregateId).orElseGet(() -> Snapshot.initial(aggregateId, type.aggregate()));
    }

    /** Stops the thread behind {@link #awaitVersion}; outstanding waits complete exceptionally. */
    @Override
    public void close() {
        stopListening.run();
        waits.close();
    }
}
