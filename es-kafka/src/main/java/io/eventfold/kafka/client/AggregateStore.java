package io.eventfold.kafka.client;

import io.eventfold.core.CommandResult;
import io.eventfold.core.ErrorText;
import io.eventfold.core.Snapshot;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.SnapshotVersionException;
import io.eventfold.kafka.SnapshotsRebuildingException;
import io.eventfold.kafka.internal.CommandIds;
import io.eventfold.kafka.internal.RebuildProgress;
import io.eventfold.kafka.internal.SnapshotChanges;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the current state of aggregates, and past command results, from the stores of a running
 * command topology (Kafka Streams interactive queries), on whichever instance hosts them.
 *
 * <pre>{@code
 * HttpStoreTransport transport = HttpStoreTransport.start(7001);   // application.server=<host>:7001
 * AggregateStore<InvoiceCommand, InvoiceEvent, Invoice> store = AggregateStore.of(streams, invoices, transport);
 * CommandResult<InvoiceEvent, Invoice> result = gateway.send("INV-7", new SendInvoice(), any()).join();
 * Snapshot<Invoice> fresh = store.awaitVersion("INV-7", result.version(), Duration.ofSeconds(2)).join();
 * }</pre>
 *
 * <p>The instance whose active task owns an aggregate's partition answers for it. With a
 * {@link StoreTransport} (and {@code application.server} set on every instance) a store on any
 * instance sends the read to the owner and returns its answer; the store also answers the reads
 * other instances send it. When the owner cannot answer (the application starts or rebalances,
 * the owner is gone) a read with a {@link Staleness} bound is answered by a standby replica, or a
 * restoring store, within that bound; otherwise it throws the retryable
 * {@link AggregateUnavailableException}. Without a transport an instance answers only for the
 * partitions it hosts (without {@code application.server}, it finds nothing for the others,
 * which is exact for a single instance). While the aggregate's partition rebuilds its snapshots
 * after a state-version change, reads throw {@link SnapshotsRebuildingException}: retry
 * ({@link #awaitVersion} keeps waiting by itself). Under {@code exactly_once_v2} the owner's
 * store may show the state of a command whose transaction has not committed yet (a standby shows
 * only committed state); clients that must see only committed state read the snapshots topic with
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
    /** A wait whose owner cannot be reached looks for it again this often, until its timeout. */
    private static final Duration RETRY_OWNER = Duration.ofMillis(100);

    private final AggregateType<C, E, S> type;
    private final LocalStores local;
    private final VersionWaits<S> waits;
    private final Runnable stopListening;
    private final StoreTransport transport;

    private AggregateStore(KafkaStreams streams, AggregateType<C, E, S> type, StoreTransport transport) {
        Objects.requireNonNull(streams, "streams must not be null");
        this.type = Objects.requireNonNull(type, "type must not be null");
        this.local = new LocalStores(streams, type);
        this.transport = transport;
        this.waits = new VersionWaits<>(this::localCurrent, RETRY_NOT_QUERYABLE, REREAD_UNSIGNALLED);
        this.stopListening = SnapshotChanges.of(type.stores().snapshots()).subscribe(waits::changed);
        if (transport != null) {
            transport.serve(type.name(), this::answer);
        }
    }

    /**
     * Queries the stores of an aggregate type in this instance only: for a single instance, or
     * when you route reads yourself ({@link #metadata}).
     *
     * <pre>{@code
     * AggregateStore<InvoiceCommand, InvoiceEvent, Invoice> store = AggregateStore.of(streams, invoices);
     * }</pre>
     *
     * @param streams the application, started with the type's topology
     * @param type the aggregate type
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return a store; close it to stop its {@link #awaitVersion} thread
     */
    public static <C, E, S> AggregateStore<C, E, S> of(KafkaStreams streams, AggregateType<C, E, S> type) {
        return new AggregateStore<>(streams, type, null);
    }

    /**
     * Queries the stores of an aggregate type on every instance of the application: reads for
     * aggregates another instance hosts go there through the transport, and this store answers
     * the reads other instances send here. Every instance sets {@code application.server} to the
     * address the transport serves on.
     *
     * <pre>{@code
     * HttpStoreTransport transport = HttpStoreTransport.start(7001);
     * AggregateStore<InvoiceCommand, InvoiceEvent, Invoice> store = AggregateStore.of(streams, invoices, transport);
     * }</pre>
     *
     * @param streams the application, started with the type's topology
     * @param type the aggregate type
     * @param transport carries reads between instances; one transport serves every type of the application
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return a store; close it to stop its {@link #awaitVersion} thread and stop serving the type
     */
    public static <C, E, S> AggregateStore<C, E, S> of(KafkaStreams streams, AggregateType<C, E, S> type, StoreTransport transport) {
        return new AggregateStore<>(streams, type, Objects.requireNonNull(transport, "transport must not be null"));
    }

    /**
     * The latest snapshot of an aggregate, from its owner.
     *
     * <pre>{@code
     * Optional<Snapshot<Invoice>> invoice = store.get("INV-7");
     * }</pre>
     *
     * @param aggregateId the aggregate
     * @return its snapshot, or empty when it has no events
     * @throws AggregateUnavailableException while no instance can answer (retry)
     * @throws SnapshotsRebuildingException while the aggregate's partition rebuilds its snapshots
     */
    public Optional<Snapshot<S>> get(String aggregateId) {
        return get(aggregateId, Staleness.NONE);
    }

    /**
     * The latest snapshot of an aggregate, from its owner or, while the owner cannot answer, from
     * a copy within the bound.
     *
     * <pre>{@code
     * Optional<Snapshot<Invoice>> invoice = store.get("INV-7", Staleness.atMost(100));
     * }</pre>
     *
     * @param aggregateId the aggregate
     * @param staleness how far behind a standby may be
     * @return its snapshot, or empty when it has no events
     * @throws AggregateUnavailableException while no instance can answer within the bound (retry)
     * @throws SnapshotsRebuildingException while the aggregate's partition rebuilds its snapshots
     */
    public Optional<Snapshot<S>> get(String aggregateId, Staleness staleness) {
        requireAggregateId(aggregateId);
        Objects.requireNonNull(staleness, "staleness must not be null");
        return routed(aggregateId, staleness, () -> localSnapshot(aggregateId, staleness),
                StoreRequest.snapshot(type.name(), aggregateId, staleness), this::snapshotOf);
    }

    /**
     * What a command handled within the command-id retention is answered when it is delivered
     * again, for a client that timed out and wants to know what happened: its
     * {@link CommandResult#redeliveryAnswer() redelivery answer} ({@code AlreadyAccepted} with the
     * version and the number of events for an accepted command, the rejection or conflict as it
     * was). A failed command is not remembered.
     *
     * <pre>{@code
     * Optional<CommandResult<InvoiceEvent, Invoice>> answer = store.commandResult("INV-7", commandId);
     * }</pre>
     *
     * @param aggregateId the aggregate the command was for
     * @param commandId the command
     * @return its answer, or empty when the command was never handled, failed or has expired
     * @throws AggregateUnavailableException while no instance can answer (retry)
     */
    public Optional<CommandResult<E, S>> commandResult(String aggregateId, String commandId) {
        return commandResult(aggregateId, commandId, Staleness.NONE);
    }

    /**
     * A command's remembered answer, from the owner or, while it cannot answer, a copy within the
     * bound; see {@link #commandResult(String, String)}.
     *
     * <pre>{@code
     * store.commandResult("INV-7", commandId, Staleness.atMost(0));
     * }</pre>
     *
     * @param aggregateId the aggregate the command was for
     * @param commandId the command
     * @param staleness how far behind a standby may be
     * @return its answer, or empty when the command was never handled, failed or has expired
     * @throws AggregateUnavailableException while no instance can answer within the bound (retry)
     */
    public Optional<CommandResult<E, S>> commandResult(String aggregateId, String commandId, Staleness staleness) {
        requireAggregateId(aggregateId);
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(staleness, "staleness must not be null");
        return routed(aggregateId, staleness, () -> localCommandResult(aggregateId, commandId, staleness),
                StoreRequest.commandResult(type.name(), aggregateId, commandId, staleness), this::resultOf);
    }

    /**
     * Completes once an aggregate has reached a version: read your own writes after a command,
     * from any instance. The owner waits: a wait costs nothing while its aggregate does not
     * change (its waiters read its snapshot when they arrive, then once each time the topology
     * stores a new snapshot of it; every 100 ms instead while the store cannot be queried). A
     * wait on another instance is sent to the owner; while no owner answers (a rebalance) it
     * looks for one again every 100 ms until the timeout.
     *
     * <pre>{@code
     * Snapshot<Invoice> fresh = store.awaitVersion("INV-7", result.version(), Duration.ofSeconds(2)).join();
     * }</pre>
     *
     * @param aggregateId the aggregate
     * @param minVersion the version to wait for, typically {@link CommandResult#version()}
     * @param timeout how long to wait
     * @return the first snapshot seen at {@code minVersion} or later (for version 0 and an
     *     aggregate without events, its initial state at once); completes exceptionally with
     *     a {@link TimeoutException} naming the aggregate, the version awaited and the last
     *     version seen (or why none was) when the version is not reached in time, with
     *     {@link AggregateUnavailableException} when another instance owns the aggregate and this
     *     store has no transport, or with the reader's error when its snapshot cannot be read
     */
    public CompletableFuture<Snapshot<S>> awaitVersion(String aggregateId, long minVersion, Duration timeout) {
        Objects.requireNonNull(aggregateId, "aggregateId must not be null");
        Objects.requireNonNull(timeout, "timeout must not be null");
        CompletableFuture<Snapshot<S>> result = new CompletableFuture<>();
        awaitFrom(aggregateId, minVersion, System.nanoTime() + timeout.toNanos(), timeout, null, result);
        return result;
    }

    /**
     * Where an aggregate's partition is hosted, for routing a query yourself.
     *
     * <pre>{@code
     * HostInfo owner = store.metadata("INV-7").activeHost();
     * }</pre>
     *
     * @param aggregateId the aggregate
     * @return the key's query metadata, {@link KeyQueryMetadata#NOT_AVAILABLE} while unknown
     */
    public KeyQueryMetadata metadata(String aggregateId) {
        return local.metadata(aggregateId);
    }

    // ---- routing

    /**
     * Reads here when this instance may answer, else asks the owner, then (within a staleness
     * bound) the standbys, and throws the retryable error when none answers.
     */
    private <T> Optional<T> routed(String aggregateId, Staleness staleness, Supplier<Optional<T>> here,
                                   StoreRequest request, Function<byte[], T> decode) {
        RuntimeException localError;
        try {
            return here.get();
        } catch (NotHostedHereException | InvalidStateStoreException notHere) {
            localError = notHere;
        }
        KeyQueryMetadata metadata = local.metadata(aggregateId);
        if (transport == null || !LocalStores.located(metadata)) {
            throw unavailable(aggregateId, transport == null && localError instanceof NotHostedHereException
                    ? localError.getMessage() + " and this store has no StoreTransport to ask another"
                    : "the application is starting or rebalancing (" + localError.getMessage() + ")", localError);
        }
        List<HostInfo> hosts = new ArrayList<>();
        if (LocalStores.owned(metadata)) {
            hosts.add(metadata.activeHost());
        }
        if (staleness.allowsStandby()) {
            hosts.addAll(metadata.standbyHosts());
        }
        List<String> refusals = new ArrayList<>();
        for (HostInfo host : hosts) {
            StoreReply reply;
            try {
                reply = transport.send(host, request).join();
            } catch (CompletionException | CancellationException unreachable) {
                Throwable cause = unreachable.getCause() == null ? unreachable : unreachable.getCause();
                refusals.add(address(host) + " did not answer (" + cause + ")");
                continue;
            }
            switch (reply.status()) {
                case FOUND:
                    return Optional.of(decode.apply(reply.body()));
                case NOT_FOUND:
                    return Optional.empty();
                case REBUILDING:
                    throw new SnapshotsRebuildingException(reply.message());
                case UNAVAILABLE:
                    refusals.add(address(host) + ": " + reply.message());
                    break;
                default:
                    throw new IllegalStateException("instance " + address(host) + " could not read " + request.query()
                            + " of " + type.name() + " aggregate " + ErrorText.bounded(aggregateId) + ": " + reply.message());
            }
        }
        throw unavailable(aggregateId, "partition " + metadata.partition() + " (owner "
                + (LocalStores.owned(metadata) ? address(metadata.activeHost()) : "none known")
                + ", standbys " + metadata.standbyHosts().stream().map(AggregateStore::address).toList()
                + (staleness.allowsStandby() ? ", within a lag of " + staleness.maxLag() : ", not asked: no Staleness bound")
                + ") could not be read" + (refusals.isEmpty() ? "" : ": " + String.join("; ", refusals)), localError);
    }

    /** One attempt of a wait: at the owner, here or there; {@code lastProblem} is why the previous one did not answer, null at first. */
    private void awaitFrom(String aggregateId, long minVersion, long deadlineNanos, Duration timeout, String lastProblem,
                           CompletableFuture<Snapshot<S>> result) {
        long remainingNanos = deadlineNanos - System.nanoTime();
        if (lastProblem != null && remainingNanos <= 0) {
            result.completeExceptionally(new TimeoutException("aggregate " + ErrorText.bounded(aggregateId)
                    + " did not reach version " + minVersion + " within " + timeout.toMillis() + " ms: " + lastProblem));
            return;
        }
        // The first attempt waits the caller's timeout, so that its timeout message names it; later ones what is left.
        Duration remaining = lastProblem == null ? timeout : Duration.ofNanos(remainingNanos);
        KeyQueryMetadata metadata = local.metadata(aggregateId);
        if (transport == null || local.answersHere(aggregateId)) {
            waits.await(aggregateId, minVersion, remaining).whenComplete((snapshot, error) -> {
                if (error == null) {
                    result.complete(snapshot);
                } else if (error instanceof NotHostedHereException && transport != null) {
                    // The partition moved away during the wait: follow it.
                    retryAwait(aggregateId, minVersion, deadlineNanos, timeout, error.getMessage(), result);
                } else if (error instanceof NotHostedHereException) {
                    result.completeExceptionally(unavailable(aggregateId, error.getMessage()
                            + " and this store has no StoreTransport to ask it", error));
                } else {
                    result.completeExceptionally(error);
                }
            });
            return;
        }
        if (!LocalStores.owned(metadata)) {
            retryAwait(aggregateId, minVersion, deadlineNanos, timeout, "the owner is not known (starting or rebalancing)", result);
            return;
        }
        HostInfo owner = metadata.activeHost();
        transport.send(owner, StoreRequest.awaitVersion(type.name(), aggregateId, minVersion, remaining))
                .whenComplete((reply, error) -> {
                    if (error != null) {
                        retryAwait(aggregateId, minVersion, deadlineNanos, timeout, address(owner) + " did not answer ("
                                + (error.getCause() == null ? error : error.getCause()) + ")", result);
                        return;
                    }
                    switch (reply.status()) {
                        case FOUND:
                            try {
                                result.complete(snapshotOf(reply.body()));
                            } catch (RuntimeException unreadable) {
                                result.completeExceptionally(unreadable);
                            }
                            break;
                        case TIMED_OUT:
                            result.completeExceptionally(new TimeoutException(reply.message()));
                            break;
                        case UNAVAILABLE:
                        case REBUILDING:
                        case NOT_FOUND:
                            retryAwait(aggregateId, minVersion, deadlineNanos, timeout, address(owner) + ": " + reply.message(), result);
                            break;
                        default:
                            result.completeExceptionally(new IllegalStateException("instance " + address(owner)
                                    + " could not wait for " + type.name() + " aggregate " + ErrorText.bounded(aggregateId)
                                    + ": " + reply.message()));
                    }
                });
    }

    private void retryAwait(String aggregateId, long minVersion, long deadlineNanos, Duration timeout, String problem,
                            CompletableFuture<Snapshot<S>> result) {
        long delay = Math.min(RETRY_OWNER.toNanos(), Math.max(0, deadlineNanos - System.nanoTime()));
        CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS)
                .execute(() -> awaitFrom(aggregateId, minVersion, deadlineNanos, timeout, problem, result));
    }

    // ---- answering other instances

    /** Answers a read another instance sent: from this instance's stores only, never forwarded again. */
    private CompletableFuture<StoreReply> answer(StoreRequest request) {
        try {
            switch (request.query()) {
                case SNAPSHOT:
                    return CompletableFuture.completedFuture(localSnapshot(request.aggregateId(), request.staleness())
                            .map(snapshot -> StoreReply.found(type.serdes().snapshots().serializer().serialize("", snapshot)))
                            .orElseGet(() -> StoreReply.of(StoreReply.Status.NOT_FOUND, "no snapshot of " + request.aggregateId())));
                case COMMAND_RESULT:
                    return CompletableFuture.completedFuture(localCommandResult(request.aggregateId(), request.commandId(), request.staleness())
                            .map(result -> StoreReply.found(type.serdes().results().serializer().serialize("", result)))
                            .orElseGet(() -> StoreReply.of(StoreReply.Status.NOT_FOUND, "no remembered answer to command "
                                    + request.commandId() + " of " + request.aggregateId())));
                default:
                    if (!local.answersHere(request.aggregateId())) {
                        return CompletableFuture.completedFuture(StoreReply.of(StoreReply.Status.UNAVAILABLE,
                                "aggregate " + request.aggregateId() + " is not hosted by this instance"));
                    }
                    return waits.await(request.aggregateId(), request.minVersion(), request.timeout()).handle((snapshot, error) -> {
                        if (error == null) {
                            return StoreReply.found(type.serdes().snapshots().serializer().serialize("", snapshot));
                        }
                        return error instanceof TimeoutException ? StoreReply.of(StoreReply.Status.TIMED_OUT, error.getMessage())
                                : reply(error);
                    });
            }
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(reply(e));
        }
    }

    private static StoreReply reply(Throwable error) {
        if (error instanceof NotHostedHereException || error instanceof InvalidStateStoreException) {
            return StoreReply.of(StoreReply.Status.UNAVAILABLE, String.valueOf(error.getMessage()));
        }
        if (error instanceof SnapshotsRebuildingException) {
            return StoreReply.of(StoreReply.Status.REBUILDING, error.getMessage());
        }
        return StoreReply.of(StoreReply.Status.FAILED, error.getClass().getName() + ": " + error.getMessage());
    }

    // ---- this instance's stores

    private Optional<Snapshot<S>> localSnapshot(String aggregateId, Staleness staleness) {
        ReadOnlyKeyValueStore<String, byte[]> store = local.store(type.stores().snapshots(), aggregateId,
                QueryableStoreTypes.<String, byte[]>keyValueStore(), staleness);
        requireNotRebuilding(aggregateId);
        byte[] bytes = store.get(aggregateId);
        try {
            return Optional.ofNullable(bytes).map(value -> type.serdes().snapshots().deserializer().deserialize("", value));
        } catch (SnapshotVersionException older) {
            throw rebuilding(aggregateId, "its stored snapshot is of state version " + older.storedVersion()
                    + " and is being rebuilt for state version " + older.currentVersion());
        }
    }

    private Optional<CommandResult<E, S>> localCommandResult(String aggregateId, String commandId, Staleness staleness) {
        return CommandIds.answer(local.store(type.stores().commandIds(), aggregateId,
                        QueryableStoreTypes.<Bytes, byte[]>windowStore(), staleness),
                type.commandIdRetention(), aggregateId, commandId, System.currentTimeMillis());
    }

    /** An aggregate without events has no stored snapshot: it is at version 0, in its initial state. */
    private Snapshot<S> localCurrent(String aggregateId) {
        return localSnapshot(aggregateId, Staleness.NONE).orElseGet(() -> Snapshot.initial(aggregateId, type.aggregate()));
    }

    /** While a partition replays its events its entries are incomplete: none is read as current. */
    private void requireNotRebuilding(String aggregateId) {
        KeyQueryMetadata metadata = local.metadata(aggregateId);
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

    // ---- envelopes from other instances

    private Snapshot<S> snapshotOf(byte[] envelope) {
        try {
            return type.serdes().snapshots().deserializer().deserialize("", envelope);
        } catch (SnapshotVersionException otherBuild) {
            // During a rolling upgrade the owner may run another state version: another owner, or it, will answer later.
            throw unavailable(otherBuild.aggregateId(), "the owner answered with state version " + otherBuild.storedVersion()
                    + ", this build reads version " + otherBuild.currentVersion(), otherBuild);
        }
    }

    private CommandResult<E, S> resultOf(byte[] envelope) {
        return type.serdes().results().deserializer().deserialize("", envelope);
    }

    private AggregateUnavailableException unavailable(String aggregateId, String why, Throwable cause) {
        return new AggregateUnavailableException(aggregateId, type.name() + " aggregate " + ErrorText.bounded(aggregateId)
                + " cannot be read now: " + why + "; retry once the rebalance settles", cause);
    }

    private static void requireAggregateId(String aggregateId) {
        Objects.requireNonNull(aggregateId, "aggregateId must not be null");
        if (aggregateId.isBlank()) {
            // The blank key of the snapshot store holds the rebuild marker, never an aggregate.
            throw new IllegalArgumentException("aggregateId must not be blank");
        }
    }

    private static String address(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    /** Stops the thread behind {@link #awaitVersion} and serving other instances; outstanding waits complete exceptionally. */
    @Override
    public void close() {
        if (transport != null) {
            transport.stopServing(type.name());
        }
        stopListening.run();
        waits.close();
    }
}
