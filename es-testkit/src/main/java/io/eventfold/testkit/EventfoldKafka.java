package io.eventfold.testkit;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.TopicLayout;
import io.eventfold.kafka.TopologyPart;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.testkit.internal.BrokerTopology;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * A JUnit 5 extension that runs the topology of aggregate types (and the process managers between
 * them) on a real Kafka broker
 * for one test class: before the first test it starts an embedded single-node broker, creates
 * the types' topics ({@link TopicLayout}), starts their topology ({@link EventfoldStreams}) and
 * waits until it runs; after the last test it takes everything down and deletes its files.
 *
 * <pre>{@code
 * class InvoiceFlowIT {
 *
 *     @RegisterExtension
 *     static final EventfoldKafka kafka = EventfoldKafka.running(Invoices.TYPE);
 *
 *     @Test
 *     void shouldSendAnInvoice() {
 *         CommandResult<InvoiceEvent, Invoice> result = kafka.gateway(Invoices.TYPE)
 *                 .send("INV-1", new CreateInvoice(customer, issued, due, "EUR"), ExpectedVersion.noStream())
 *                 .join();
 *         assertThat(result).isAccepted().hasVersion(1);
 *     }
 * }
 * }</pre>
 *
 * <p>Options are set where the extension is built, before the tests start:
 * {@code EventfoldKafka.running(a, b).partitions(3).withStreamsProperty("num.stream.threads", 2)}.
 * The topology runs with {@link EventfoldConfig#streams} (so {@code exactly_once_v2}), a
 * temporary state directory, no standby replicas and a commit interval of 100 ms.
 *
 * <p>It needs {@code io.eventfold:es-embedded-kafka} on the test class path next to
 * {@code es-testkit}. Register it in a {@code static} field; {@code @Nested} classes share
 * their outer class's topology. Tests of one class share the broker and the topology, so give
 * each test its own aggregate ids.
 *
 * <p>Process managers run with the types they connect, and deadlines fire on the wall
 * clock (a tick of {@code eventfold.deadlines.tick.ms}, one second unless set with
 * {@link #withStreamsProperty}):
 * {@code EventfoldKafka.running(Invoices.TYPE, Accounts.TYPE, Accounts.INVOICE_ACCOUNTS)}.
 */
public final class EventfoldKafka implements BeforeAllCallback, AfterAllCallback {

    private static final String EMBEDDED_KAFKA = "io.eventfold.embedded.EmbeddedKafka";

    private final List<TopologyPart> parts;
    private int partitions = 1;
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private final Properties streamsProperties = new Properties();
    private Duration commandTimeout = CommandGateway.DEFAULT_TIMEOUT;
    private Duration startupTimeout = Duration.ofSeconds(60);

    private BrokerTopology running;
    private ExtensionContext owner;

    private EventfoldKafka(List<TopologyPart> parts) {
        this.parts = parts;
    }

    /**
     * The topology of these parts, started for each test class that registers it.
     *
     * @param parts one or more aggregate types with distinct names, and the process managers
     *     between them
     * @return the extension, to register in a {@code static} field
     * @throws IllegalArgumentException if no aggregate type is given, two parts share a name or a
     *     topic, or a process manager's source or target is not among the parts
     * @throws IllegalStateException if {@code es-embedded-kafka} is not on the class path
     */
    public static EventfoldKafka running(TopologyPart... parts) {
        Objects.requireNonNull(parts, "parts must not be null");
        TopicLayout.of(parts); // checks them now, where the test class is set up
        requireEmbeddedKafka();
        return new EventfoldKafka(List.copyOf(Arrays.asList(parts)));
    }

    private static void requireEmbeddedKafka() {
        try {
            Class.forName(EMBEDDED_KAFKA, false, EventfoldKafka.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("EventfoldKafka needs a broker: add the dependency "
                    + "io.eventfold:es-embedded-kafka with <scope>test</scope>", e);
        }
    }

    /**
     * Partitions of every topic of every type.
     *
     * @param partitions {@code >= 1}; default 1
     * @return this extension
     */
    public EventfoldKafka partitions(int partitions) {
        requireNotStarted();
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1 but was " + partitions);
        }
        this.partitions = partitions;
        return this;
    }

    /**
     * Sets a Kafka Streams property of the topology, over the defaults, e.g.
     * {@code StreamsConfig.PROCESSING_GUARANTEE_CONFIG} or {@code StreamsConfig.APPLICATION_ID_CONFIG}.
     *
     * @param key the property name
     * @param value its value
     * @return this extension
     */
    public EventfoldKafka withStreamsProperty(String key, Object value) {
        requireNotStarted();
        streamsProperties.put(Objects.requireNonNull(key, "key must not be null"),
                Objects.requireNonNull(value, () -> "value of " + key + " must not be null"));
        return this;
    }

    /**
     * Sets a property of the embedded broker, e.g. {@code log.retention.ms}.
     *
     * @param key the property name
     * @param value its value
     * @return this extension
     */
    public EventfoldKafka withBrokerProperty(String key, String value) {
        requireNotStarted();
        brokerProperties.put(Objects.requireNonNull(key, "key must not be null"),
                Objects.requireNonNull(value, () -> "value of " + key + " must not be null"));
        return this;
    }

    /**
     * How long a command sent through a {@linkplain #gateway gateway} waits for its result.
     *
     * @param timeout a positive duration; default {@link CommandGateway#DEFAULT_TIMEOUT}
     * @return this extension
     */
    public EventfoldKafka commandTimeout(Duration timeout) {
        requireNotStarted();
        this.commandTimeout = positive(timeout, "timeout");
        return this;
    }

    /**
     * How long the broker and the topology may take to start.
     *
     * @param timeout a positive duration; default 60 seconds
     * @return this extension
     */
    public EventfoldKafka startupTimeout(Duration timeout) {
        requireNotStarted();
        this.startupTimeout = positive(timeout, "timeout");
        return this;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (running != null) {
            return; // a @Nested class: the outer class's topology serves it
        }
        running = BrokerTopology.start(parts, partitions, brokerProperties, streamsProperties, commandTimeout, startupTimeout);
        owner = context;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (context != owner) {
            return;
        }
        try {
            running.close();
        } finally {
            running = null;
            owner = null;
        }
    }

    /**
     * The address of the broker.
     *
     * @return {@code host:port}
     * @throws IllegalStateException outside of the test class's lifetime
     */
    public String bootstrapServers() {
        return running().bootstrapServers();
    }

    /**
     * The running topology, e.g. for {@code AggregateStore.of(kafka.streams(), type)}.
     *
     * @return the Kafka Streams instance, in state {@code RUNNING} when the tests start
     * @throws IllegalStateException outside of the test class's lifetime
     */
    public KafkaStreams streams() {
        return running().streams();
    }

    /**
     * The application id of the topology, which names its consumer group and changelog topics.
     *
     * @return the application id
     * @throws IllegalStateException outside of the test class's lifetime
     */
    public String applicationId() {
        return running().applicationId();
    }

    /**
     * A gateway that sends commands of a running type and completes with their results. Built on
     * first use, shared by the tests of the class, and closed after them: do not close it.
     *
     * @param type one of the types given to {@link #running}
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return the type's gateway
     * @throws IllegalArgumentException if the type is not one of them
     * @throws IllegalStateException outside of the test class's lifetime
     */
    public <C, E, S> CommandGateway<C, E, S> gateway(AggregateType<C, E, S> type) {
        return running().gateway(Objects.requireNonNull(type, "type must not be null"));
    }

    private synchronized BrokerTopology running() {
        if (running == null) {
            throw new IllegalStateException("the topology of " + names() + " is not running: register EventfoldKafka "
                    + "in a static field (@RegisterExtension static final) so it starts before the tests");
        }
        return running;
    }

    private synchronized void requireNotStarted() {
        if (running != null) {
            throw new IllegalStateException("the topology of " + names() + " already runs: set options where the extension is built");
        }
    }

    private List<String> names() {
        return parts.stream().map(TopologyPart::name).toList();
    }

    private static Duration positive(Duration duration, String name) {
        Objects.requireNonNull(duration, () -> name + " must not be null");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive but was " + duration);
        }
        return duration;
    }

    @Override
    public String toString() {
        return "EventfoldKafka" + names();
    }
}
