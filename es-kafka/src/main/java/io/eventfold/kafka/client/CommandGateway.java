package io.eventfold.kafka.client;

import io.eventfold.kafka.internal.metrics.GatewayMetrics;
import io.eventfold.kafka.internal.metrics.GatewayOutcomes;
import io.eventfold.kafka.internal.metrics.Meters;
import io.eventfold.kafka.internal.ReadCommittedConsumers;
import io.eventfold.kafka.internal.ReplyAddress;
import io.eventfold.kafka.internal.TracedWork;
import io.eventfold.kafka.internal.Tracing;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executor;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends commands of one aggregate type and completes a future with each command's result.
 *
 * <pre>{@code
 * try (CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> gateway =
 *          CommandGateway.builder(invoices, "localhost:9092").timeout(Duration.ofSeconds(5)).build()) {
 *     CommandResult<InvoiceEvent, Invoice> result =
 *         gateway.send("INV-7", new SendInvoice(), ExpectedVersion.exactly(3)).join();
 * }
 * }</pre>
 *
 * <p><b>Reply routing</b> (the default): the gateways of an aggregate type share out the
 * partitions of the {@code <type>-replies} topic through a consumer group
 * ({@code <replies topic>-gateways}, cooperative-sticky assignment), and each command names a
 * partition its gateway owns ({@link EventfoldHeaders#REPLY_TOPIC},
 * {@link EventfoldHeaders#REPLY_PARTITION}); the topology copies the command's result there in
 * the transaction that writes it to {@code <type>-command-results}. A gateway so reads about its
 * own results only, however many gateways run. When a rebalance takes a partition away, the
 * commands still waiting for a reply there are sent again with the same command id, to a
 * partition the gateway owns then: the topology answers a redelivery at its own address. A
 * gateway that owns no partition (more gateways than partitions, or one that has just joined)
 * sends commands without a reply address and reads {@code <type>-command-results} from its end
 * while they wait, as every gateway does without reply routing
 * ({@link Builder#replyRouting(boolean)}). All reads use {@code isolation.level=read_committed},
 * and the future of a command is registered before the command is produced, so no result can
 * arrive unseen.
 *
 * <p>Without reply routing the gateway reads the whole command-results topic from its end at the
 * time the gateway is built, without a consumer group: every gateway instance reads every result
 * and completes only the futures of the commands it sent. A future that gets no result within the timeout
 * completes exceptionally with a {@link CommandTimeoutException}; sending the command again with
 * the same command id is safe, the topology answers it from memory
 * ({@link io.eventfold.core.CommandResult#redeliveryAnswer()}) and changes nothing. A result this
 * build cannot read, such as one with an event type of a newer build, completes the future with
 * an {@link UnreadableResultException} that keeps the result's kind and version.
 *
 * <p>While the command's partition rebuilds its snapshots after a state-version change, the
 * topology answers {@code Failed} with {@link io.eventfold.kafka.SnapshotsRebuildingException}
 * and forgets the command; the gateway sends it again with the same command id (after 100 ms,
 * doubling to at most 1 s, within the timeout), so the caller only waits. Turn this off with
 * {@link Builder#retryWhileRebuilding(boolean)} to get such answers.
 *
 * <p>An accepted result carries the version and the events; the state after them only from a
 * gateway built with {@link Builder#resultsWithState(boolean)}, since the state is most of a
 * result's bytes and is in the snapshots topic and the {@link AggregateStore} anyway.
 *
 * <p>Thread-safe; build one per aggregate type and share it. {@link #close()} completes every
 * outstanding future exceptionally.
 *
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public final class CommandGateway<C, E, S> implements AutoCloseable {

    /** How long a command waits for its result unless the builder says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final long DEFAULT_METADATA_MAX_AGE_MS = 5 * 60 * 1000;

    private final AggregateType<C, E, S> type;
    private final KafkaProducer<String, byte[]> producer;
    private final PendingCommands<E, S> pending;
    private final ResultListener<E, S> listener;
    private final KafkaConsumer<String, byte[]> resultsConsumer;
    /** Null without reply routing. */
    private final ReplyPartitions replyPartitions;
    private final ReplyListener<E, S> replyListener;
    private final KafkaConsumer<String, byte[]> repliesConsumer;
    private final ResultsDemand resultsDemand;
    private final Duration timeout;
    /** The default completion executor, which the gateway owns and shuts down; null when the user gave one. */
    private final ExecutorService ownedCompletions;
    private final boolean retryWhileRebuilding;
    private final boolean resultsWithState;
    private final GatewayMetrics metrics;
    private final Tracing tracing;

    private CommandGateway(Builder<C, E, S> builder) {
        this.type = builder.type;
        this.retryWhileRebuilding = builder.retryWhileRebuilding;
        this.resultsWithState = builder.resultsWithState;
        this.tracing = Tracing.of(builder.openTelemetry, "CommandGateway.Builder.openTelemetry");
        this.ownedCompletions = builder.completionExecutor == null ? completionThreads(builder.type) : null;
        this.timeout = builder.timeout;
        this.pending = new PendingCommands<>(builder.timeout,
                builder.completionExecutor == null ? ownedCompletions : builder.completionExecutor);
        ResultDelivery<E, S> delivery = new ResultDelivery<>(type, pending);
        this.resultsDemand = builder.replyRouting ? ResultsDemand.onDemand() : ResultsDemand.permanent();
        Properties consumerProperties = builder.consumerProperties();
        this.resultsConsumer = new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            this.listener = ResultListener.start(resultsConsumer, type, delivery, resultsDemand, metadataMaxAge(consumerProperties));
        } catch (RuntimeException e) {
            pending.close("the gateway could not start");
            if (ownedCompletions != null) {
                ownedCompletions.shutdown();
            }
            throw e;
        }
        this.replyPartitions = builder.replyRouting ? new ReplyPartitions(type.topics().replies()) : null;
        KafkaConsumer<String, byte[]> replies = null;
        ReplyListener<E, S> repliesListener = null;
        try {
            if (builder.replyRouting) {
                replies = new KafkaConsumer<>(builder.repliesConsumerProperties(), new StringDeserializer(),
                        new ByteArrayDeserializer());
                repliesListener = ReplyListener.start(replies, type, delivery, replyPartitions);
            }
            this.producer = new KafkaProducer<>(builder.producerProperties(), new StringSerializer(), new ByteArraySerializer());
        } catch (RuntimeException e) {
            listener.close();
            if (repliesListener != null) {
                repliesListener.close();
            }
            pending.close("the gateway could not start");
            if (ownedCompletions != null) {
                ownedCompletions.shutdown();
            }
            throw e;
        }
        this.repliesConsumer = replies;
        this.replyListener = repliesListener;
        this.metrics = Meters.gateway(builder.meterRegistry, type.name(), pending::size);
    }

    /**
     * A work-stealing pool of daemon threads, at least two: handing a result over costs a queue
     * push, not a thread handoff, and one caller's slow callback holds one thread, not the others.
     */
    private static ExecutorService completionThreads(AggregateType<?, ?, ?> type) {
        AtomicInteger count = new AtomicInteger();
        ForkJoinPool.ForkJoinWorkerThreadFactory threads = pool -> {
            ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            thread.setName("eventfold-gateway-completions-" + type.name() + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()), threads, null, true);
    }

    /** New partitions of the results topic can be seen only as often as the consumer refreshes its metadata. */
    private static Duration metadataMaxAge(Properties consumerProperties) {
        Object configured = consumerProperties.get(ConsumerConfig.METADATA_MAX_AGE_CONFIG);
        return Duration.ofMillis(configured == null ? DEFAULT_METADATA_MAX_AGE_MS : Long.parseLong(configured.toString().trim()));
    }

    /**
     * Starts building a gateway.
     *
     * @param type the aggregate type whose commands the gateway sends
     * @param bootstrapServers the brokers
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return a builder
     */
    public static <C, E, S> Builder<C, E, S> builder(AggregateType<C, E, S> type, String bootstrapServers) {
        return new Builder<>(type, bootstrapServers);
    }

    /**
     * Sends a command with a new command id.
     *
     * @param aggregateId the aggregate
     * @param command the command's payload
     * @param expectedVersion the version the aggregate must be at
     * @return the command's result; completes exceptionally with a {@link CommandTimeoutException}
     *     when none arrives in time, with an {@link UnreadableResultException} when the result
     *     cannot be read (its {@link UnreadableResultException#accepted() accepted()} and
     *     {@link UnreadableResultException#version() version()} still say what became of the command),
     *     with the producer's exception when the command cannot be sent,
     *     or with an {@link IllegalStateException} when the gateway is closed or stopped reading results
     */
    public CompletableFuture<CommandResult<E, S>> send(String aggregateId, C command, ExpectedVersion expectedVersion) {
        return send(aggregateId, command, expectedVersion, Map.of());
    }

    /**
     * Sends a command with a new command id and who sent it: its events record the metadata the
     * aggregate type's {@code MetadataPolicy} keeps (all by default), for good. Metadata beyond
     * the {@code CommandMetadata} limits gets a {@code Failed} result naming the key.
     *
     * <pre>{@code
     * gateway.send("INV-7", new PayInvoice(amount), ExpectedVersion.exactly(4), Map.of("user", currentUser));
     * }</pre>
     *
     * @param aggregateId the aggregate
     * @param command the command's payload
     * @param expectedVersion the version the aggregate must be at
     * @param metadata who sent it and on whose behalf, e.g. {@code user}, {@code tenant}
     * @return the command's result, see {@link #send(String, Object, ExpectedVersion)}
     */
    public CompletableFuture<CommandResult<E, S>> send(String aggregateId, C command, ExpectedVersion expectedVersion,
                                                       Map<String, String> metadata) {
        return send(new Command<>(Command.newCommandId(), aggregateId, expectedVersion, command, metadata));
    }

    /**
     * Sends a command envelope. A command (aggregate id and command id) this gateway is still
     * waiting for shares the pending future; any other, new or already handled, is sent. The same
     * command id for another aggregate is another command, as it is for the topology.
     *
     * @param command the command
     * @return the command's result, see {@link #send(String, Object, ExpectedVersion)}
     */
    public CompletableFuture<CommandResult<E, S>> send(Command<C> command) {
        Objects.requireNonNull(command, "command must not be null");
        byte[] value = type.serdes().commands().serializer().serialize(type.topics().commands(), command);
        PendingCommands.Registration<E, S> registration = pending.register(command.aggregateId(), command.commandId());
        if (!registration.isNew()) {
            return registration.future();
        }
        CompletableFuture<CommandResult<E, S>> future = registration.future();
        if (metrics != GatewayMetrics.NONE) {
            long sentAt = System.nanoTime();
            future.whenComplete((result, error) -> metrics.completed(GatewayOutcomes.of(result, error), System.nanoTime() - sentAt));
        }
        PendingCommands.CommandKey key = new PendingCommands.CommandKey(command.aggregateId(), command.commandId());
        if (replyPartitions != null) {
            future.whenComplete((result, error) -> {
                replyPartitions.forget(key);
                resultsDemand.release(key);
            });
        }
        TracedWork trace = SendTracing.start(tracing, type, command, future);
        Runnable produce = () -> produce(command, value, key, future, trace);
        if (retryWhileRebuilding) {
            pending.resendWhileRebuilding(command.aggregateId(), command.commandId(), produce);
        }
        produce.run();
        return future;
    }

    /** Sends the command, first or again, with a reply address the gateway owns now if it owns one. */
    private void produce(Command<C> command, byte[] value, PendingCommands.CommandKey key,
                         CompletableFuture<CommandResult<E, S>> future, TracedWork trace) {
        if (future.isDone()) {
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, command.commandId());
        if (resultsWithState) {
            EventfoldHeaders.askForState(headers);
        }
        trace.putOn(headers);
        if (replyPartitions != null) {
            Optional<ReplyAddress> address = replyPartitions.stamp(key, () -> produce(command, value, key, future, trace));
            if (address.isPresent()) {
                address.get().putOn(headers);
            } else if (!awaitResultsRead(key)) {
                return;
            }
            if (future.isDone()) {
                // Answered meanwhile; the clean-up may have run before this command was stamped.
                replyPartitions.forget(key);
                resultsDemand.release(key);
                return;
            }
        }
        try {
            producer.send(new ProducerRecord<>(type.topics().commands(), null, command.aggregateId(), value, headers),
                    (metadata, error) -> {
                        if (error != null) {
                            pending.fail(command.aggregateId(), command.commandId(), error);
                        }
                    });
        } catch (RuntimeException e) {
            pending.fail(command.aggregateId(), command.commandId(), e);
        }
    }

    /**
     * Without a reply partition, the command is answered on the command-results topic alone: it
     * waits until the results listener reads that topic from a point before its result.
     *
     * @return false when the command failed instead
     */
    private boolean awaitResultsRead(PendingCommands.CommandKey key) {
        try {
            resultsDemand.require(key).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.fail(key.aggregateId(), key.commandId(), e);
        } catch (ExecutionException | TimeoutException e) {
            pending.fail(key.aggregateId(), key.commandId(), new IllegalStateException("command " + key.commandId()
                    + " for aggregate " + key.aggregateId() + " has no reply partition and " + type.topics().commandResults()
                    + " could not be read in time", e));
        }
        return false;
    }

    /**
     * The partitions of the replies topic this gateway owns now: its commands name one of them,
     * and it reads them alone. Empty without reply routing, and while it owns none (then it reads
     * the command-results topic for the commands it sends meanwhile).
     *
     * <pre>{@code
     * Set<Integer> mine = gateway.replyPartitions();   // e.g. [2, 5]
     * }</pre>
     *
     * @return the partition numbers, a snapshot
     */
    public Set<Integer> replyPartitions() {
        return replyPartitions == null ? Set.of() : replyPartitions.owned();
    }

    /**
     * What this gateway has read since it was built, replies and command results together.
     *
     * <pre>{@code
     * GatewayReads reads = gateway.reads();   // about one record per command with reply routing
     * }</pre>
     *
     * @return the records and bytes read
     */
    public GatewayReads reads() {
        GatewayReads results = reads(resultsConsumer);
        GatewayReads replies = repliesConsumer == null ? new GatewayReads(0, 0) : reads(repliesConsumer);
        return new GatewayReads(results.records() + replies.records(), results.bytes() + replies.bytes());
    }

    /** The consumer's own totals: its fetch manager counts every record and byte it hands out. */
    private static GatewayReads reads(KafkaConsumer<String, byte[]> consumer) {
        long records = 0;
        long bytes = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : consumer.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (!name.group().equals("consumer-fetch-manager-metrics") || name.tags().containsKey("topic")) {
                continue;
            }
            if (name.name().equals("records-consumed-total")) {
                records += ((Number) entry.getValue().metricValue()).longValue();
            } else if (name.name().equals("bytes-consumed-total")) {
                bytes += ((Number) entry.getValue().metricValue()).longValue();
            }
        }
        return new GatewayReads(records, bytes);
    }

    /**
     * How many commands are waiting for their result right now.
     *
     * @return the number of outstanding futures
     */
    public int pendingCount() {
        return pending.size();
    }

    /**
     * Stops reading results, completes every outstanding future exceptionally with an
     * {@link IllegalStateException}, and closes the producer and consumers. A send after close
     * returns a future failed the same way.
     */
    @Override
    public void close() {
        try {
            if (replyListener != null) {
                // First, so that leaving the group resends nothing through a closing producer.
                replyListener.close();
            }
            producer.close(Duration.ofSeconds(5));
        } finally {
            listener.close();
            pending.close("the gateway was closed before a result arrived");
            if (ownedCompletions != null) {
                ownedCompletions.shutdown();
            }
            metrics.close();
        }
    }

    /**
     * Builds a {@link CommandGateway}.
     *
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     */
    public static final class Builder<C, E, S> {

        private final AggregateType<C, E, S> type;
        private final String bootstrapServers;
        private Duration timeout = DEFAULT_TIMEOUT;
        private final Properties producerOverrides = new Properties();
        private final Properties consumerOverrides = new Properties();
        private Executor completionExecutor;
        private boolean retryWhileRebuilding = true;
        private boolean resultsWithState;
        private boolean replyRouting = true;
        /** A Micrometer registry, held as an object so that the gateway runs without Micrometer. */
        private Object meterRegistry;
        /** An io.opentelemetry.api.OpenTelemetry, held as an Object so this class loads without the API. */
        private Object openTelemetry;

        private Builder(AggregateType<C, E, S> type, String bootstrapServers) {
            this.type = Objects.requireNonNull(type, "type must not be null");
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers must not be null");
        }

        /**
         * How long a command waits for its result; default 10 seconds.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder<C, E, S> timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout must not be null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive but was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Extra producer settings (security, batching…), applied over {@link EventfoldConfig#commandProducer}.
         *
         * @param properties the settings
         * @return this builder
         */
        public Builder<C, E, S> producerProperties(Properties properties) {
            producerOverrides.putAll(properties);
            return this;
        }

        /**
         * Extra consumer settings (security…) for reading results. {@code isolation.level} stays
         * {@code read_committed}.
         *
         * @param properties the settings
         * @return this builder
         */
        public Builder<C, E, S> consumerProperties(Properties properties) {
            consumerOverrides.putAll(properties);
            return this;
        }

        /**
         * Where the futures of results are completed, and so where callbacks attached to them
         * without an executor of their own run. Default: a work-stealing pool of the gateway's own
         * daemon threads (as many as processors, at least two), shut down on close, so a slow
         * callback of one caller does not delay another caller's result.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder<C, E, S> completionExecutor(Executor executor) {
            this.completionExecutor = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /**
         * Whether a command answered {@code Failed} with
         * {@link io.eventfold.kafka.SnapshotsRebuildingException} (its partition rebuilds its
         * snapshots) is sent again with the same command id until another answer or the timeout;
         * default true. With false the future completes with that answer.
         *
         * <pre>{@code
         * CommandGateway.builder(invoices, "localhost:9092").retryWhileRebuilding(false).build();
         * }</pre>
         *
         * @param retry whether to resend
         * @return this builder
         */
        public Builder<C, E, S> retryWhileRebuilding(boolean retry) {
            this.retryWhileRebuilding = retry;
            return this;
        }

        /**
         * Whether an accepted result carries the state after the command
         * ({@link io.eventfold.core.CommandResult.Accepted#state()}); default false: the version
         * and the events only. Each command then asks for it
         * ({@link EventfoldHeaders#RESULT_STATE}); the state is usually most of a result's bytes,
         * written to the command-results topic and to the reply, and read by the gateway.
         *
         * <pre>{@code
         * CommandGateway.builder(invoices, "localhost:9092").resultsWithState(true).build();
         * }</pre>
         *
         * @param withState whether accepted results carry the state
         * @return this builder
         */
        public Builder<C, E, S> resultsWithState(boolean withState) {
            this.resultsWithState = withState;
            return this;
        }

        /**
         * Whether commands carry a reply address, so that the gateway reads only a partition of
         * the replies topic (see the class documentation); default true. With false every result
         * of the command-results topic is read, as before reply routing, and the replies topic is
         * not needed: for instance while topology instances of an older version, which write no
         * replies, still run.
         *
         * <pre>{@code
         * CommandGateway.builder(invoices, "localhost:9092").replyRouting(false).build();
         * }</pre>
         *
         * @param enabled whether to route replies
         * @return this builder
         */
        public Builder<C, E, S> replyRouting(boolean enabled) {
            this.replyRouting = enabled;
            return this;
        }

        /**
         * Reports the gateway's commands to a Micrometer registry: a timer
         * {@code eventfold.gateway.commands} from send to answer, tagged with the type and the
         * outcome (result kind, {@code timeout} or {@code error}), and a gauge
         * {@code eventfold.gateway.pending}; see docs/operations.md. Without it nothing is
         * measured, and Micrometer need not be on the class path.
         *
         * <pre>{@code
         * CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> gateway =
         *         CommandGateway.builder(invoices, "localhost:9092").meterRegistry(registry).build();
         * }</pre>
         *
         * @param registry where the meters go
         * @return this builder
         */
        public Builder<C, E, S> meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry must not be null");
            return this;
        }

        /**
         * The OpenTelemetry the gateway traces with: a {@code send} span per command (kind
         * {@code PRODUCER}, a child of the caller's current context, ended when the result
         * arrives or the command fails), whose context the command record carries in its
         * {@link EventfoldHeaders#TRACEPARENT} header. Default: {@code GlobalOpenTelemetry} when the
         * OpenTelemetry API is on the class path, else no span and no trace header. See
         * docs/operations.md.
         *
         * <pre>{@code
         * CommandGateway.builder(invoices, "localhost:9092").openTelemetry(openTelemetrySdk).build();
         * }</pre>
         *
         * @param openTelemetry the instance
         * @return this builder
         */
        public Builder<C, E, S> openTelemetry(io.opentelemetry.api.OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry must not be null");
            return this;
        }

        /**
         * Builds the gateway; returns once it can read results. Without reply routing it reads
         * from the current end of the command-results topic; with it, until the gateways'
         * consumer group gives it a partition of the replies topic (a few seconds as a rule), its
         * commands are answered on the command-results topic.
         *
         * @return a started gateway
         */
        public CommandGateway<C, E, S> build() {
            return new CommandGateway<>(this);
        }

        Properties producerProperties() {
            Properties props = EventfoldConfig.commandProducer(bootstrapServers);
            // A send waiting for metadata (broker down, topic missing) must not block the caller past the timeout.
            props.put("max.block.ms", timeout.toMillis());
            props.putAll(producerOverrides);
            return props;
        }

        Properties consumerProperties() {
            return ReadCommittedConsumers.properties(bootstrapServers, null, consumerOverrides);
        }

        /** Cooperative: a rebalance takes from a gateway only the partitions that move, so few commands are resent. */
        Properties repliesConsumerProperties() {
            Properties props = ReadCommittedConsumers.properties(bootstrapServers, type.topics().replies() + "-gateways",
                    consumerOverrides);
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            return props;
        }
    }
}
