package io.eventfold.kafka;

import io.eventfold.core.ProcessManager;
import io.eventfold.core.ProcessManagerEngine;
import io.eventfold.core.ProcessState;
import io.eventfold.kafka.internal.ProcessStateCodec;
import io.eventfold.kafka.json.JsonCodec;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@link ProcessManager} bound to Kafka: the aggregate type whose events it reads, the aggregate
 * type it sends commands to, how its state is written, and its topics and stores. Add it to the
 * topology together with both types.
 *
 * <pre>{@code
 * ProcessManagerType<InvoiceEvent, InvoiceAccount, AccountCommand> invoiceAccounts =
 *     ProcessManagerType.builder("invoice-accounts", new InvoiceAccounts())
 *         .from(invoices)            // AggregateType<InvoiceCommand, InvoiceEvent, Invoice>
 *         .to(accounts)              // AggregateType<AccountCommand, AccountEvent, Account>
 *         .state(InvoiceAccount.class)
 *         .build();
 * KafkaStreams streams = EventfoldStreams.start(props, invoices, accounts, invoiceAccounts);
 * }</pre>
 *
 * <p>In the topology it reads the source type's events topic (committed events only) and its own
 * replies topic, where the target type's topology copies the result of each command it sent in
 * the transaction that handles the command. Under {@code exactly_once_v2} the state it keeps per
 * source aggregate, the commands it sends and its position in the events commit together; the ids
 * of its commands are derived from what caused them ({@link ProcessManagerEngine}), so a command
 * sent again is deduplicated by the target. See docs/workflows.md.
 *
 * @param <E> the source event type
 * @param <S> the manager's state type
 * @param <C> the target command type
 */
public final class ProcessManagerType<E, S, C> implements TopologyPart {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,100}");

    private final String name;
    private final AggregateType<?, E, ?> source;
    private final AggregateType<C, ?, ?> target;
    private final ProcessManagerEngine<E, S, C> engine;
    private final JsonCodec<S> stateCodec;
    private final ProcessStateCodec<S> positions;
    private final ProcessManagerTopics topics;

    private ProcessManagerType(Builder<E, S, C> builder) {
        this.name = builder.name;
        this.source = Objects.requireNonNull(builder.source, "the source type must be set: call .from(type) on the builder");
        this.target = Objects.requireNonNull(builder.target, "the target type must be set: call .to(type) on the builder");
        Objects.requireNonNull(builder.stateType, "the state type must be set: call .state(…class) on the builder");
        this.stateCodec = JsonCodec.forClass(builder.stateType, builder.mapper);
        this.positions = new ProcessStateCodec<>(stateCodec);
        this.engine = new ProcessManagerEngine<>(name, source.name(), builder.manager);
        try {
            // A state the topology could not write would fail every input: better now, with the manager's name.
            positions.read(positions.write(engine.initial()));
        } catch (RuntimeException unwritable) {
            throw new IllegalArgumentException("the initial state of process manager '" + name + "' cannot be written and read"
                    + " back as " + builder.stateType.getName() + ": " + unwritable.getMessage(), unwritable);
        }
        this.topics = builder.topics;
    }

    /**
     * Starts building a process manager type.
     *
     * @param name the manager's name, used in its command ids, topic, store and changelog names:
     *     1-100 of {@code [a-zA-Z0-9._-]}
     * @param manager the manager's behaviour
     * @param <E> the source event type
     * @param <S> the manager's state type
     * @param <C> the target command type
     * @return a builder
     * @throws IllegalArgumentException if the name is not legal
     */
    public static <E, S, C> Builder<E, S, C> builder(String name, ProcessManager<E, S, C> manager) {
        return new Builder<>(name, manager);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The aggregate type whose events the manager reads.
     *
     * @return the source type
     */
    public AggregateType<?, E, ?> source() {
        return source;
    }

    /**
     * The aggregate type the manager sends commands to.
     *
     * @return the target type
     */
    public AggregateType<C, ?, ?> target() {
        return target;
    }

    /**
     * The engine that applies the manager's rules; the topology and the test kit share it.
     *
     * @return the engine
     */
    public ProcessManagerEngine<E, S, C> engine() {
        return engine;
    }

    /**
     * How the manager's state is written to its store.
     *
     * @return the state codec
     */
    public JsonCodec<S> stateCodec() {
        return stateCodec;
    }

    /**
     * Reads what the {@linkplain #stateStore() state store} holds for a source aggregate: the
     * manager's state with its position, as the topology wrote it.
     *
     * <pre>{@code
     * ProcessState<InvoiceBilling> position = invoiceAccounts.readState(store.get("INV-7"));
     * position.state();         // the manager's state for INV-7
     * position.lastVersion();   // the last event of INV-7 it handled
     * }</pre>
     *
     * @param stored a value of the state store
     * @return the position and state
     * @throws EnvelopeFormatException if the bytes are not a state of this manager
     */
    public ProcessState<S> readState(byte[] stored) {
        return positions.read(Objects.requireNonNull(stored, "stored must not be null"));
    }

    /**
     * Writes a position and state as the state store holds it.
     *
     * @param position the position and state
     * @return the store's value
     * @throws EnvelopeFormatException if Jackson cannot write the state
     */
    public byte[] writeState(ProcessState<S> position) {
        return positions.write(Objects.requireNonNull(position, "position must not be null"));
    }

    /**
     * The manager's topics.
     *
     * @return its replies and dead-letter topics
     */
    public ProcessManagerTopics topics() {
        return topics;
    }

    /**
     * The store of the manager's position and state per source aggregate: {@code <name>-state-store}.
     *
     * @return the store name
     */
    public String stateStore() {
        return name + "-state-store";
    }

    /**
     * The store of the commands sent and not answered yet, by command id: {@code <name>-pending-store}.
     *
     * @return the store name
     */
    public String pendingStore() {
        return name + "-pending-store";
    }

    /**
     * Both store names: state, then pending.
     *
     * @return the store names
     */
    public List<String> stores() {
        return List.of(stateStore(), pendingStore());
    }

    @Override
    public String toString() {
        return "ProcessManagerType[" + name + ": " + source.name() + " -> " + target.name() + "]";
    }

    /**
     * Builds a {@link ProcessManagerType}; every setter validates at once.
     *
     * @param <E> the source event type
     * @param <S> the manager's state type
     * @param <C> the target command type
     */
    public static final class Builder<E, S, C> {

        private final String name;
        private final ProcessManager<E, S, C> manager;
        private AggregateType<?, E, ?> source;
        private AggregateType<C, ?, ?> target;
        private Class<S> stateType;
        private ObjectMapper mapper = JsonCodec.defaultObjectMapper();
        private ProcessManagerTopics topics;

        private Builder(String name, ProcessManager<E, S, C> manager) {
            Objects.requireNonNull(name, "name must not be null");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("name '" + name + "' must be 1-100 of [a-zA-Z0-9._-]");
            }
            this.name = name;
            this.manager = Objects.requireNonNull(manager, "manager must not be null");
            this.topics = ProcessManagerTopics.forManager(name);
        }

        /**
         * The aggregate type whose events the manager reads.
         *
         * @param type the source type
         * @return this builder
         */
        public Builder<E, S, C> from(AggregateType<?, E, ?> type) {
            this.source = Objects.requireNonNull(type, "source type must not be null");
            return this;
        }

        /**
         * The aggregate type the manager sends commands to; it may be the source type itself.
         *
         * @param type the target type
         * @return this builder
         */
        public Builder<E, S, C> to(AggregateType<C, ?, ?> type) {
            this.target = Objects.requireNonNull(type, "target type must not be null");
            return this;
        }

        /**
         * The manager's state class, written as JSON; see {@link JsonCodec#forClass(Class)}.
         *
         * @param type the state class
         * @return this builder
         */
        public Builder<E, S, C> state(Class<S> type) {
            this.stateType = Objects.requireNonNull(type, "state type must not be null");
            return this;
        }

        /**
         * Other topic names than {@link ProcessManagerTopics#forManager}.
         *
         * @param topics the topic names
         * @return this builder
         */
        public Builder<E, S, C> topics(ProcessManagerTopics topics) {
            this.topics = Objects.requireNonNull(topics, "topics must not be null");
            return this;
        }

        /**
         * The Jackson mapper for the state; by default {@link JsonCodec#defaultObjectMapper()}.
         *
         * @param mapper the mapper
         * @return this builder
         */
        public Builder<E, S, C> objectMapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "objectMapper must not be null");
            return this;
        }

        /**
         * Builds the process manager type.
         *
         * @return the type
         * @throws NullPointerException if the source, target or state type is missing
         * @throws IllegalArgumentException if the manager's initial state cannot be written as
         *     JSON and read back as the state type
         */
        public ProcessManagerType<E, S, C> build() {
            return new ProcessManagerType<>(this);
        }
    }
}
