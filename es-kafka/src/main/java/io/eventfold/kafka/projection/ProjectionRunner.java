package io.eventfold.kafka.projection;

import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.json.JsonCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Feeds the events (or snapshots) of one aggregate type to a {@link Projection}, on its own
 * thread, reading {@code read_committed}. Each batch is applied in one transaction of the sink,
 * together with the last version applied per aggregate and the checkpoint of every partition
 * read, through a {@link CheckpointStore}; when the runner is given a partition it reads the
 * partition's checkpoint from the store and starts there (the consumer group's offsets are only
 * advisory). So each version of each aggregate changes the read model exactly once, across
 * crashes, restarts and rebalances, as long as the sink keeps the store's contract.
 *
 * <ul>
 *   <li>Versions applied before are dropped; for events, an aggregate's next version must follow
 *       the last one applied, and a gap stops the runner ({@link ProjectionStatus.State#FAILED},
 *       {@link VersionGapException}) before anything of the batch is applied.</li>
 *   <li>A batch that fails otherwise (database away, a projection exception) is rolled back and
 *       read again after a pause that doubles from 1 s up to 30 s ({@link ProjectionStatus.State#RETRYING}).</li>
 *   <li>Any number of runners of one projection may run: the topic's partitions are shared out in
 *       their consumer group {@code <name>.g<generation>}, and a runner whose partition moved on
 *       meanwhile finds its checkpoint changed ({@link CheckpointConflictException}) and commits nothing.</li>
 *   <li>{@link #status()} and {@link ProjectionListener}s tell what the runner is doing and why it stopped.</li>
 * </ul>
 *
 * <pre>{@code
 * JdbcCheckpointStore store = JdbcCheckpointStore.of(() -> DriverManager.getConnection(jdbcUrl));
 * ProjectionRunner<Event<InvoiceEvent>> runner =
 *     ProjectionRunner.forEvents(Invoices.TYPE, "localhost:9092", "invoice-history", history, store).start();
 * ...
 * runner.status().state();   // CATCHING_UP, RUNNING, RETRYING, FAILED…
 * runner.close();
 * }</pre>
 *
 * @param <T> what the projection reads: {@code Event<E>} or {@code Snapshot<S>}
 */
public final class ProjectionRunner<T> implements AutoCloseable {

    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final RunnerSettings<T, ?> settings;
    private final List<ProjectionListener> listeners;
    private final StatusTracker status;
    private ProjectionLoop<T, ?> loop;

    private ProjectionRunner(RunnerSettings<T, ?> settings, List<ProjectionListener> listeners) {
        this.settings = settings;
        this.listeners = new CopyOnWriteArrayList<>(listeners);
        this.status = new StatusTracker(settings.name(), instanceName(), this.listeners);
    }

    /**
     * A runner that feeds the type's events: each aggregate's versions in order, without a gap.
     *
     * @param type the aggregate type
     * @param bootstrapServers the brokers
     * @param name the projection's name, kept across restarts: its checkpoints and versions are
     *     stored under it and its consumer group is {@code <name>.g<generation>}
     * @param projection the read model
     * @param store where the read model keeps its progress, in the same database as its rows
     * @param <E> the event type
     * @param <S> the sink's session type
     * @return a runner, not started
     */
    public static <E, S> ProjectionRunner<Event<E>> forEvents(AggregateType<?, E, ?> type, String bootstrapServers, String name,
                                                             Projection<S, Event<E>> projection, CheckpointStore<S> store) {
        return create(type.topics().events(), VersionSequencer.Mode.EVENTS, type.serdes().events().deserializer(), type.eventCodec(),
                Event::aggregateId, Event::version, bootstrapServers, name, projection, store);
    }

    /**
     * A runner that feeds the type's snapshots: the latest state after each accepted command, each
     * aggregate's versions increasing (not every version has a snapshot, and the topic is compacted).
     *
     * @param type the aggregate type
     * @param bootstrapServers the brokers
     * @param name the projection's name, kept across restarts
     * @param projection the read model
     * @param store where the read model keeps its progress, in the same database as its rows
     * @param <X> the state type
     * @param <S> the sink's session type
     * @return a runner, not started
     */
    public static <X, S> ProjectionRunner<Snapshot<X>> forSnapshots(AggregateType<?, ?, X> type, String bootstrapServers, String name,
                                                                   Projection<S, Snapshot<X>> projection, CheckpointStore<S> store) {
        return create(type.topics().snapshots(), VersionSequencer.Mode.SNAPSHOTS, type.serdes().snapshots().deserializer(),
                type.stateCodec(), Snapshot::aggregateId, Snapshot::version, bootstrapServers, name, projection, store);
    }

    private static <T, S> ProjectionRunner<T> create(String topic, VersionSequencer.Mode mode, Deserializer<T> deserializer,
                                                     JsonCodec<?> payloads, Function<T, String> aggregateId, ToLongFunction<T> version,
                                                     String bootstrapServers, String name, Projection<S, T> projection,
                                                     CheckpointStore<S> store) {
        Objects.requireNonNull(projection, "projection must not be null");
        Objects.requireNonNull(store, "store must not be null");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers must not be null");
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("projection name '" + name + "' must be 1 to 200 characters");
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        BatchDecoder<T> decoder = new BatchDecoder<>(deserializer, payloads, UnknownTypePolicy.STOP, name, aggregateId, version);
        return new ProjectionRunner<>(new RunnerSettings<>(name, topic, mode, decoder, projection, store, props,
                FIRST_BACKOFF, MAX_BACKOFF), List.of());
    }

    /**
     * Returns a runner with extra consumer settings (security, {@code max.poll.records}…).
     * {@code isolation.level} stays {@code read_committed}, automatic commits stay off and the
     * group stays {@code <name>.g<generation>}.
     *
     * @param properties the settings
     * @return a new runner with the settings; this one is left unstarted
     */
    public ProjectionRunner<T> withConsumerProperties(Properties properties) {
        Properties merged = new Properties();
        merged.putAll(settings.consumerProperties());
        merged.putAll(properties);
        return new ProjectionRunner<>(settings.withConsumerProperties(merged), listeners);
    }

    /**
     * Returns a runner that treats records of a type this build does not know (written by a newer
     * build of the command topology) by a policy; the default is {@link UnknownTypePolicy#STOP}.
     *
     * <pre>{@code
     * runner.onUnknownType(UnknownTypePolicy.SKIP).start();
     * }</pre>
     *
     * @param policy stop at such a record, or skip and report it
     * @return a new runner with the policy; this one is left unstarted
     */
    public ProjectionRunner<T> onUnknownType(UnknownTypePolicy policy) {
        Objects.requireNonNull(policy, "policy must not be null");
        return new ProjectionRunner<>(settings.withDecoder(settings.decoder().withPolicy(policy)), listeners);
    }

    /**
     * Returns a runner that pauses differently between attempts of a failing step: {@code first}
     * after the first failure, doubling up to {@code max}. The default is 1 s doubling to 30 s.
     *
     * <pre>{@code
     * runner.withRetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(5));
     * }</pre>
     *
     * @param first the first pause, positive
     * @param max the longest pause, at least {@code first}
     * @return a new runner; this one is left unstarted
     */
    public ProjectionRunner<T> withRetryBackoff(Duration first, Duration max) {
        if (first == null || max == null || first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("retry backoff " + first + " to " + max + " must be positive, the first at most the max");
        }
        return new ProjectionRunner<>(settings.withBackoff(first, max), listeners);
    }

    /**
     * Adds a listener, told about state changes and failures on the runner's thread; may be called
     * before or after {@link #start()}.
     *
     * <pre>{@code
     * runner.addListener(new ProjectionListener() {
     *     public void onFailure(ProjectionStatus status, Throwable error) { log.warn("{}", status, error); }
     * });
     * }</pre>
     *
     * @param listener the listener
     * @return this runner
     */
    public ProjectionRunner<T> addListener(ProjectionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        return this;
    }

    /**
     * Starts the runner's thread: it finds the projection's live generation in the store (creating
     * generation 1 at the first start), creates the tables, joins the consumer group and reads
     * every assigned partition from its checkpoint (from the beginning when it has none).
     *
     * @return this runner
     * @throws IllegalStateException if already started
     */
    public synchronized ProjectionRunner<T> start() {
        if (loop != null) {
            throw new IllegalStateException("the projection runner " + settings.name() + " was started before");
        }
        loop = newLoop(settings, status);
        loop.start();
        return this;
    }

    private static <T, S> ProjectionLoop<T, S> newLoop(RunnerSettings<T, S> settings, StatusTracker status) {
        return new ProjectionLoop<>(settings, status);
    }

    /**
     * What the runner is doing now.
     *
     * <pre>{@code
     * if (runner.status().state() == ProjectionStatus.State.FAILED) {
     *     log.error("read model stopped: {}", runner.status().lastError().orElseThrow().message());
     * }
     * }</pre>
     *
     * @return the current status
     */
    public ProjectionStatus status() {
        return status.current();
    }

    /**
     * How many committed records of its assigned partitions the runner has not applied yet
     * (a batch being applied or retried counts as not applied).
     *
     * @return the lag; -1 while unknown (before the partitions' positions are read) and once stopped
     */
    public long lag() {
        return status.current().lag();
    }

    /**
     * How many records the projection has applied since this runner started; versions applied
     * before (redeliveries) are dropped and not counted.
     *
     * @return the count
     */
    public long applied() {
        return status.current().applied();
    }

    /**
     * How many records of an unknown type were passed over under {@link UnknownTypePolicy#SKIP}
     * since this runner started; each is logged with its {@code topic-partition@offset}, aggregate,
     * version and type.
     *
     * @return the count
     */
    public long skipped() {
        return status.current().skipped();
    }

    /**
     * Whether the runner reads: started, and neither closed nor stopped.
     *
     * @return true while its thread runs
     */
    public synchronized boolean isRunning() {
        return loop != null && loop.isRunning();
    }

    /**
     * Why the runner stopped on its own ({@link ProjectionStatus.State#FAILED}): a
     * {@link VersionGapException}, a {@link ProjectionStoppedException} (a record of an unknown type
     * under {@link UnknownTypePolicy#STOP}, or thrown by the projection), or the unexpected error
     * that ended its thread.
     *
     * <pre>{@code
     * runner.failure().ifPresent(error -> alert(error.getMessage()));
     * }</pre>
     *
     * @return the error; empty while running, before the start and after {@link #close()}
     */
    public synchronized Optional<RuntimeException> failure() {
        return loop == null ? Optional.empty() : Optional.ofNullable(loop.failure());
    }

    /** Stops the thread after its current batch and closes the consumer; an uncommitted batch comes again next time. */
    @Override
    public void close() {
        ProjectionLoop<T, ?> started;
        synchronized (this) {
            started = loop;
        }
        if (started != null) {
            started.close();
        }
    }

    private static String instanceName() {
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElse("host");
        String id = host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
        return id.length() > 200 ? id.substring(id.length() - 200) : id;
    }
}
