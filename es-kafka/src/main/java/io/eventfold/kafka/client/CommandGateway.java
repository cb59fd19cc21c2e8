package io.eventfold.kafka.client;

import io.eventfold.kafka.internal.ReadCommittedConsumers;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

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
 * <p>The gateway reads the command-results topic with {@code isolation.level=read_committed},
 * from its end at the time the gateway is built, without a consumer group: every gateway
 * instance reads every result and completes only the futures of the commands it sent, so any
 * number of gateways can run at once. The future of a command is registered before the command
 * is produced, so no result can arrive unseen. A future that gets no result within the timeout
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
    /** The default completion executor, which the gateway owns and shuts down; null when the user gave one. */
    private final ExecutorService ownedCompletions;
    private final boolean retryWhileRebuilding;

    private CommandGateway(Builder<C, E, S> builder) {
        this.type = builder.type;
        this.retryWhileRebuilding = builder.retryWhileRebuilding;
        this.ownedCompletions = builder.completionExecutor == null ? completionThreads(builder.type) : null;
        this.pending = new PendingCommands<>(builder.timeout,
                builder.completionExecutor == null ? ownedCompletions : builder.completionExecutor);
        Properties consumerProperties = builder.consumerProperties();
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties,
                new StringDeserializer(), new ByteArrayDeserializer());
        try {
            this.listener = ResultListener.start(consumer, type, pending, metadataMaxAge(consumerProperties));
        } catch (RuntimeException e) {
            pending.close("the gateway could not start");
            if (ownedCompletions != null) {
                ownedCompletions.shutdown();
            }
            throw e;
        }
        try {
            this.producer = new KafkaProducer<>(builder.producerProperties(), new StringSerializer(), new ByteArraySerializer());
        } catch (RuntimeException e) {
            listener.close();
            pending.close("the gateway could not start");
            if (ownedCompletions != null) {
                ownedCompletions.shutdown();
            }
            throw e;
        }
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
        return send(new Command<>(Command.newCommandId(), aggregateId, expectedVersion, command, Map.of()));
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
        Runnable produce = () -> produce(command, value);
        if (retryWhileRebuilding) {
            pending.resendWhileRebuilding(command.aggregateId(), command.commandId(), produce);
        }
        produce.run();
        return registration.future();
    }

    private void produce(Command<C> command, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, command.commandId());
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
     * How many commands are waiting for their result right now.
     *
     * @return the number of outstanding futures
     */
    public int pendingCount() {
        return pending.size();
    }

    /**
     * Stops reading results, completes every outstanding future exceptionally with an
     * {@link IllegalStateException}, and closes the producer and consumer. A send after close
     * returns a future failed the same way.
     */
    @Override
    public void close() {
        try {
            producer.close(Duration.ofSeconds(5));
        } finally {
            listener.close();
            pending.close("the gateway was closed before a result arrived");
            if (ownedCompletions != null) {
                ownedCompletions.shutdown();
            }
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
         * Builds the gateway; returns once it reads results from the current end of the topic.
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
    }
}
