package io.eventfold.kafka.projection;

import io.eventfold.kafka.internal.metrics.Meters;
import io.eventfold.kafka.internal.metrics.ProjectionMetrics;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.internal.Tracing;
import io.eventfold.kafka.json.JsonCodec;
import io.eventfold.kafka.json.Upcasters;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

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
 *   <li>{@link #rebuild()} builds a new generation beside the live one, by every runner of the
 *       projection, and switches readers over atomically once it has caught up; a new
 *       {@link Projection#version()} does the same without a call. Crash-safe: every step is one
 *       transaction of the sink, and the request itself is stored.</li>
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

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration RETIRED_RETENTION = Duration.ofMinutes(10);

    private final RunnerSettings<T, ?> settings;
    private final List<ProjectionListener> listeners;
    private final StatusTracker status;
    /** Rebuild requests waiting for their generation to go live, by generation number. */
    private final Map<Integer, List<CompletableFuture<Generation>>> pending = new ConcurrentHashMap<>();
    /** A Micrometer registry, held as an object so that the runner works without Micrometer; null for none. */
    private final Object meterRegistry;
    private ProjectionMetrics metrics = ProjectionMetrics.NONE;
    private Supervisor<T, ?> supervisor;
    private boolean closed;

    private ProjectionRunner(RunnerSettings<T, ?> settings, List<ProjectionListener> listeners, Object meterRegistry) {
        this.settings = settings;
        this.meterRegistry = meterRegistry;
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
        return create(type.topics().events(), VersionSequencer.Mode.EVENTS, BatchDecoder.events(type), type.eventCodec(), type.eventUpcasters(),
                bootstrapServers, name, projection, store);
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
        return create(type.topics().snapshots(), VersionSequencer.Mode.SNAPSHOTS, BatchDecoder.snapshots(type), type.stateCodec(), Upcasters.none(),
                bootstrapServers, name, projection, store);
    }

    private static <T, S> ProjectionRunner<T> create(String topic, VersionSequencer.Mode mode, BatchDecoder.RecordReader<T> reader,
                                                     JsonCodec<?> payloads, Upcasters upcasters,
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
        BatchDecoder<T> decoder = new BatchDecoder<>(reader, payloads, upcasters, UnknownTypePolicy.STOP, name);
        return new ProjectionRunner<>(new RunnerSettings<>(name, topic, mode, decoder, projection, store, props,
                FIRST_BACKOFF, MAX_BACKOFF, RETIRED_RETENTION), List.of(), null);
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
        return new ProjectionRunner<>(settings.withConsumerProperties(merged), listeners, meterRegistry);
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
        return new ProjectionRunner<>(settings.withDecoder(settings.decoder().withPolicy(policy)), listeners, meterRegistry);
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
        return new ProjectionRunner<>(settings.withBackoff(first, max), listeners, meterRegistry);
    }

    /**
     * Returns a runner that keeps a retired generation's tables longer or shorter before dropping
     * them; the default is 10 minutes. Readers that resolved the generation just before a switch
     * (or instances of the older version during a rolling deploy) still find its tables meanwhile.
     *
     * <pre>{@code
     * runner.withRetiredRetention(Duration.ofHours(1));
     * }</pre>
     *
     * @param retention how long, zero or more
     * @return a new runner; this one is left unstarted
     */
    public ProjectionRunner<T> withRetiredRetention(Duration retention) {
        if (retention == null || retention.isNegative()) {
            throw new IllegalArgumentException("retired retention " + retention + " must be zero or more");
        }
        return new ProjectionRunner<>(settings.withRetiredRetention(retention), listeners, meterRegistry);
    }

    /**
     * Returns a runner that reports its meters to a Micrometer registry and traces its applies
     * with an OpenTelemetry instance, as the telemetry names them; see {@link ProjectionTelemetry}
     * and docs/operations.md. Without it: no meters, and {@code GlobalOpenTelemetry} when the
     * OpenTelemetry API is on the class path.
     *
     * <pre>{@code
     * runner.withTelemetry(ProjectionTelemetry.create().meterRegistry(registry)).start();
     * }</pre>
     *
     * @param telemetry the registry and tracing
     * @return a new runner; this one is left unstarted
     */
    public ProjectionRunner<T> withTelemetry(ProjectionTelemetry telemetry) {
        Objects.requireNonNull(telemetry, "telemetry must not be null");
        return new ProjectionRunner<>(settings.withTracing(Tracing.of(telemetry.openTelemetryOrNull(),
                ProjectionTelemetry.OPEN_TELEMETRY_SETTING)), listeners, telemetry.meterRegistryOrNull());
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
     * Starts the runner: it finds the projection's live generation in the store (creating
     * generation 1 at the first start), feeds it when this runner's {@link Projection#version()}
     * built it, and builds beside it any generation of its version being built (a
     * {@link #rebuild()}, or a newer version: then this runner builds and does not serve until the
     * switch). Each generation's loop creates the tables, joins the consumer group
     * {@code <name>.g<generation>} and reads every assigned partition from its checkpoint.
     *
     * @return this runner
     * @throws IllegalStateException if already started
     */
    public synchronized ProjectionRunner<T> start() {
        if (supervisor != null || closed) {
            throw new IllegalStateException("the projection runner " + settings.name() + " was started before");
        }
        supervisor = newSupervisor(settings);
        metrics = Meters.projection(meterRegistry, settings.name(), this::applied, this::skipped, this::lag);
        supervisor.start();
        return this;
    }

    private <S> Supervisor<T, S> newSupervisor(RunnerSettings<T, S> typed) {
        return new Supervisor<>(typed, status, listeners, pending);
    }

    /**
     * Asks for the projection to be rebuilt: a new generation, built from the beginning of the
     * topic into tables of its own beside the live one, by every runner of the projection, and
     * switched over to atomically once it has caught up. The request is stored before this method
     * returns, so it survives crashes and may come before {@link #start()} or from any instance;
     * a request while a generation of this version is building joins it.
     *
     * <pre>{@code
     * Generation live = runner.rebuild().get(10, TimeUnit.MINUTES);   // readers now use live.table("invoices")
     * }</pre>
     *
     * @return completes with the new generation once it is live; fails when this runner stops
     *     first (the build itself goes on with the next runner), when a newer build replaces it, or
     *     when the build stops on an error (a version gap in the log itself)
     */
    public CompletableFuture<Generation> rebuild() {
        CompletableFuture<Generation> future = new CompletableFuture<>();
        try {
            Generation requested = request(settings);
            LOG.info("projection {}: rebuild requested, generation {} is {}", settings.name(), requested.number(), requested.state());
            if (requested.state() == Generation.State.LIVE) {
                future.complete(requested);   // the projection had nothing live: the first generation is it
                return future;
            }
            List<CompletableFuture<Generation>> waiting = pending.computeIfAbsent(requested.number(), n -> new ArrayList<>());
            synchronized (waiting) {
                waiting.add(future);
            }
            Supervisor<T, ?> started;
            boolean stopped;
            synchronized (this) {
                started = supervisor;
                stopped = closed;
            }
            if (started != null) {
                started.wake();
            }
            if (stopped || (started != null && !started.alive())) {
                pending.remove(requested.number());
                future.completeExceptionally(new IllegalStateException("the runner of projection " + settings.name()
                        + " is stopped; generation " + requested.number() + " is built when a runner of the projection runs"));
            }
        } catch (Exception e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    private <S> Generation request(RunnerSettings<T, S> typed) throws Exception {
        CheckpointStore<S> store = typed.store();
        store.createTablesIfMissing();
        String reason = "rebuild requested by " + status.current().instance();
        try {
            return store.inTransaction(session -> GenerationPlan.request(store, session, typed.name(), typed.projection().version(), reason));
        } catch (IllegalStateException refused) {
            throw refused;
        } catch (Exception collided) {
            // Two requests at once: one registers, the other's insert fails on the key; read again and join it.
            LOG.debug("projection {}: rebuild request collided, reading the generations again", typed.name(), collided);
            return store.inTransaction(session -> GenerationPlan.request(store, session, typed.name(), typed.projection().version(), reason));
        }
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
        return supervisor != null && supervisor.isRunning();
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
     * @return the error; empty while running and before the start
     */
    public synchronized Optional<RuntimeException> failure() {
        return supervisor == null ? Optional.empty() : Optional.ofNullable(supervisor.failure());
    }

    /**
     * Stops the runner's threads after their current batches and closes the consumers; an
     * uncommitted batch comes again next time, a build goes on from its checkpoints.
     */
    @Override
    public void close() {
        Supervisor<T, ?> started;
        synchronized (this) {
            started = supervisor;
            closed = true;
            metrics.close();
        }
        if (started != null) {
            started.close();
        } else {
            // Never started: no supervisor will fail the futures of rebuilds asked for meanwhile.
            for (Integer number : new ArrayList<>(pending.keySet())) {
                List<CompletableFuture<Generation>> futures = pending.remove(number);
                if (futures != null) {
                    synchronized (futures) {
                        futures.forEach(future -> future.completeExceptionally(new IllegalStateException("the runner of projection "
                                + settings.name() + " was closed before it started; generation " + number
                                + " is kept in the store and built when a runner of the projection runs")));
                    }
                }
            }
        }
    }

    private static String instanceName() {
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElse("host");
        String id = host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
        return id.length() > 200 ? id.substring(id.length() - 200) : id;
    }
}
