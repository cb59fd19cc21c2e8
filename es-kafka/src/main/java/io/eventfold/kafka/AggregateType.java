package io.eventfold.kafka;

import io.eventfold.kafka.json.EnvelopeSerdes;
import io.eventfold.kafka.json.JsonCodec;
import io.eventfold.kafka.json.Upcasters;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfold.core.Aggregate;
import io.eventfold.core.CommandEngine;
import io.eventfold.core.MetadataPolicy;

import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One kind of aggregate as Kafka sees it: its name, its pure {@link Aggregate}, how its commands,
 * events and state are written as JSON, and its topics.
 *
 * <pre>{@code
 * AggregateType<InvoiceCommand, InvoiceEvent, Invoice> invoices =
 *     AggregateType.builder("invoice", new InvoiceAggregate())
 *         .commands(InvoiceCommand.class)
 *         .events(InvoiceEvent.class)
 *         .state(Invoice.class)
 *         .build();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; build each once and share it.
 *
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public final class AggregateType<C, E, S> implements TopologyPart {

    /** How long command ids are remembered for deduplication unless the builder says otherwise. */
    public static final Duration DEFAULT_COMMAND_ID_RETENTION = Duration.ofHours(24);

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,100}");

    private final String name;
    private final Aggregate<C, E, S> aggregate;
    private final CommandEngine<C, E, S> engine;
    private final TopicNames topics;
    private final StoreNames stores;
    private final Duration commandIdRetention;
    private final JsonCodec<C> commandCodec;
    private final JsonCodec<E> eventCodec;
    private final JsonCodec<S> stateCodec;
    private final int stateVersion;
    private final Upcasters commandUpcasters;
    private final Upcasters eventUpcasters;
    private final EnvelopeSerdes<C, E, S> serdes;

    private AggregateType(Builder<C, E, S> builder) {
        this.name = builder.name;
        this.aggregate = builder.aggregate;
        this.engine = CommandEngine.of(builder.aggregate, builder.metadataPolicy);
        this.topics = builder.topics;
        this.stores = StoreNames.forType(builder.name);
        this.commandIdRetention = builder.commandIdRetention;
        this.commandCodec = codec(builder.commandType, builder.mapper, "commands");
        this.eventCodec = codec(builder.eventType, builder.mapper, "events");
        this.stateCodec = codec(builder.stateType, builder.mapper, "state");
        this.stateVersion = builder.stateVersion;
        this.commandUpcasters = builder.commandUpcasters;
        this.eventUpcasters = builder.eventUpcasters;
        commandUpcasters.requireConsistentWith(commandCodec, "commands");
        eventUpcasters.requireConsistentWith(eventCodec, "events");
        // Last: the serdes read the codecs and the state version set above.
        this.serdes = EnvelopeSerdes.of(this);
    }

    /**
     * Starts building an aggregate type.
     *
     * @param name the type's name, used in topic, store and changelog names: 1-100 of {@code [a-zA-Z0-9._-]},
     *     leaving room within Kafka's 249 characters for {@code <application.id>-<name>-command-id-store-changelog}
     * @param aggregate the aggregate's behaviour
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return a builder
     * @throws IllegalArgumentException if the name is not legal
     */
    public static <C, E, S> Builder<C, E, S> builder(String name, Aggregate<C, E, S> aggregate) {
        return new Builder<>(name, aggregate);
    }

    /**
     * The type's name, such as {@code invoice}.
     *
     * @return the name
     */
    @Override
    public String name() {
        return name;
    }

    /**
     * The aggregate's behaviour.
     *
     * @return the aggregate
     */
    public Aggregate<C, E, S> aggregate() {
        return aggregate;
    }

    /**
     * The engine that applies the aggregate's commands; the topology and the test kit share it.
     *
     * @return the command engine
     */
    public CommandEngine<C, E, S> engine() {
        return engine;
    }

    /**
     * The type's topics.
     *
     * @return the topic names
     */
    public TopicNames topics() {
        return topics;
    }

    /**
     * The type's state stores, named after the type.
     *
     * @return the store names
     */
    public StoreNames stores() {
        return stores;
    }

    /**
     * How long a handled command id is remembered: a command redelivered within this time is
     * answered with its {@linkplain io.eventfold.core.CommandResult#redeliveryAnswer() redelivery answer}
     * and changes nothing (a failed command is not remembered).
     *
     * @return the retention, 24 hours unless set
     */
    public Duration commandIdRetention() {
        return commandIdRetention;
    }

    /**
     * The version of the state schema: snapshots and results are written with it, and a snapshot of
     * another version is never used as the current state but rebuilt from the events. Bump it
     * whenever the state type or what {@code evolve} derives from the events changes; see
     * {@link Builder#state(Class, int)}.
     *
     * @return the state version, 1 unless set
     */
    public int stateVersion() {
        return stateVersion;
    }

    /**
     * The chain that turns stored command payloads into today's; {@link Upcasters#none()} unless set.
     *
     * <pre>{@code
     * int version = invoices.commandUpcasters().currentVersion("AddLineItem");
     * }</pre>
     *
     * @return the command upcasters
     */
    public Upcasters commandUpcasters() {
        return commandUpcasters;
    }

    /**
     * The chain that turns stored event payloads into today's; {@link Upcasters#none()} unless set.
     *
     * <pre>{@code
     * int version = invoices.eventUpcasters().currentVersion("LineItemAdded");   // 2
     * }</pre>
     *
     * @return the event upcasters
     */
    public Upcasters eventUpcasters() {
        return eventUpcasters;
    }

    /**
     * The serdes of the type's command, event, snapshot and result envelopes.
     *
     * @return the serdes
     */
    public EnvelopeSerdes<C, E, S> serdes() {
        return serdes;
    }

    /**
     * The JSON codec of the command payloads.
     *
     * @return the codec
     */
    public JsonCodec<C> commandCodec() {
        return commandCodec;
    }

    /**
     * The JSON codec of the event payloads.
     *
     * @return the codec
     */
    public JsonCodec<E> eventCodec() {
        return eventCodec;
    }

    /**
     * The JSON codec of the state.
     *
     * @return the codec
     */
    public JsonCodec<S> stateCodec() {
        return stateCodec;
    }

    private static <T> JsonCodec<T> codec(Class<T> type, ObjectMapper mapper, String field) {
        Objects.requireNonNull(type, () -> field + " type must be set: call ." + field + "(…class) on the builder");
        return JsonCodec.forClass(type, mapper);
    }

    @Override
    public String toString() {
        return "AggregateType[" + name + "]";
    }

    /**
     * Builds an {@link AggregateType}; every setter validates at once and names the field in its error.
     *
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     */
    public static final class Builder<C, E, S> {

        private final String name;
        private final Aggregate<C, E, S> aggregate;
        private Class<C> commandType;
        private Class<E> eventType;
        private Class<S> stateType;
        private int stateVersion = 1;
        private Upcasters commandUpcasters = Upcasters.none();
        private Upcasters eventUpcasters = Upcasters.none();
        private TopicNames topics;
        private Duration commandIdRetention = DEFAULT_COMMAND_ID_RETENTION;
        private ObjectMapper mapper = JsonCodec.defaultObjectMapper();
        private MetadataPolicy metadataPolicy = MetadataPolicy.all();

        private Builder(String name, Aggregate<C, E, S> aggregate) {
            Objects.requireNonNull(name, "name must not be null");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("name '" + name + "' must be 1-100 of [a-zA-Z0-9._-]");
            }
            this.name = name;
            this.aggregate = Objects.requireNonNull(aggregate, "aggregate must not be null");
            this.topics = TopicNames.forType(name);
        }

        /**
         * The command type, usually a sealed interface; see {@link JsonCodec#forClass(Class)}.
         *
         * @param type the command class
         * @return this builder
         */
        public Builder<C, E, S> commands(Class<C> type) {
            this.commandType = Objects.requireNonNull(type, "commands type must not be null");
            return this;
        }

        /**
         * The command type and the upcasters that turn stored commands into today's; see {@link Upcasters}.
         * {@link #build()} checks them against the command codec.
         *
         * <pre>{@code
         * builder.commands(InvoiceCommand.class, Upcasters.builder()
         *     .rename("RecordPayment", 1, "PayInvoice")
         *     .build())
         * }</pre>
         *
         * @param type the command class
         * @param upcasters the chain; {@link #commands(Class)} means {@link Upcasters#none()}
         * @return this builder
         */
        public Builder<C, E, S> commands(Class<C> type, Upcasters upcasters) {
            commands(type);
            this.commandUpcasters = Objects.requireNonNull(upcasters, "command upcasters must not be null");
            return this;
        }

        /**
         * The event type, usually a sealed interface; see {@link JsonCodec#forClass(Class)}.
         *
         * @param type the event class
         * @return this builder
         */
        public Builder<C, E, S> events(Class<E> type) {
            this.eventType = Objects.requireNonNull(type, "events type must not be null");
            return this;
        }

        /**
         * The event type and the upcasters that turn stored events into today's; see {@link Upcasters}.
         * {@link #build()} checks them against the event codec.
         *
         * <pre>{@code
         * builder.events(InvoiceEvent.class, Upcasters.builder()
         *     .upcast("LineItemAdded", 1, json -> {
         *         json.withObject("/lineItem").put("taxRate", BigDecimal.ZERO);
         *         return json;
         *     })
         *     .rename("PaymentReceived", 1, "InvoicePaid")
         *     .build())
         * }</pre>
         *
         * @param type the event class
         * @param upcasters the chain; {@link #events(Class)} means {@link Upcasters#none()}
         * @return this builder
         */
        public Builder<C, E, S> events(Class<E> type, Upcasters upcasters) {
            events(type);
            this.eventUpcasters = Objects.requireNonNull(upcasters, "event upcasters must not be null");
            return this;
        }

        /**
         * The state type, usually a record; see {@link JsonCodec#forClass(Class)}.
         *
         * @param type the state class
         * @return this builder
         */
        public Builder<C, E, S> state(Class<S> type) {
            this.stateType = Objects.requireNonNull(type, "state type must not be null");
            return this;
        }

        /**
         * The state type and the version of its schema. Raise the version by one whenever the state
         * type changes shape or {@code evolve} derives something else from the same events: stored
         * snapshots of an older version are then rebuilt from the events, partition by partition,
         * before the first command is handled there.
         *
         * <pre>{@code
         * AggregateType.builder("invoice", new InvoiceAggregate())
         *     .state(Invoice.class, 2)   // 2: line items gained a tax rate
         * }</pre>
         *
         * @param type the state class
         * @param version the state version, at least 1; {@link #state(Class)} means 1
         * @return this builder
         * @throws IllegalArgumentException if the version is below 1
         */
        public Builder<C, E, S> state(Class<S> type, int version) {
            if (version < 1) {
                throw new IllegalArgumentException("state version must be at least 1 but was " + version);
            }
            state(type);
            this.stateVersion = version;
            return this;
        }

        /**
         * Replaces the topic names; default {@link TopicNames#forType(String)} of the type's name.
         *
         * @param topics the names
         * @return this builder
         */
        public Builder<C, E, S> topics(TopicNames topics) {
            this.topics = Objects.requireNonNull(topics, "topics must not be null");
            return this;
        }

        /**
         * Changes some topic names, starting from the current ones.
         *
         * <pre>{@code
         * builder.topics(names -> names.withEvents("billing.invoice.events.v1"))
         * }</pre>
         *
         * @param change a function from the current names to the new ones
         * @return this builder
         */
        public Builder<C, E, S> topics(UnaryOperator<TopicNames> change) {
            return topics(change.apply(topics));
        }

        /**
         * How long handled command ids are remembered for deduplication; default 24 hours.
         *
         * @param retention at least one second
         * @return this builder
         * @throws IllegalArgumentException if shorter than one second
         */
        public Builder<C, E, S> commandIdRetention(Duration retention) {
            Objects.requireNonNull(retention, "commandIdRetention must not be null");
            if (retention.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("commandIdRetention must be at least 1s but was " + retention);
            }
            this.commandIdRetention = retention;
            return this;
        }

        /**
         * What the events of a command keep of its metadata (and the headers of its snapshot and
         * result records); default {@link MetadataPolicy#all()}. Events are kept for good: keep
         * what the audit trail must show, and no secrets.
         *
         * <pre>{@code
         * AggregateType.builder("invoice", new InvoiceAggregate()).metadata(MetadataPolicy.only("user"))
         * }</pre>
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder<C, E, S> metadata(MetadataPolicy policy) {
            this.metadataPolicy = Objects.requireNonNull(policy, "metadata policy must not be null");
            return this;
        }

        /**
         * The Jackson mapper for payloads and state; default {@link JsonCodec#defaultObjectMapper()}.
         *
         * @param mapper the mapper, configured as you need
         * @return this builder
         */
        public Builder<C, E, S> objectMapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "objectMapper must not be null");
            return this;
        }

        /**
         * Builds the aggregate type.
         *
         * @return the aggregate type
         * @throws NullPointerException if the commands, events or state type is missing
         * @throws IllegalArgumentException if a codec cannot be built (see {@link JsonCodec#forSealed}), or the
         *     upcasters do not fit it (see {@link Upcasters#requireConsistentWith})
         */
        public AggregateType<C, E, S> build() {
            return new AggregateType<>(this);
        }
    }
}
