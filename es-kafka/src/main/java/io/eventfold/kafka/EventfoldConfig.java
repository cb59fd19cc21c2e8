package io.eventfold.kafka;

import io.eventfold.kafka.internal.EventLogs;
import io.eventfold.kafka.internal.ReadCommittedConsumers;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

import java.util.Objects;
import java.util.Properties;

/**
 * Safe default client configurations for an Eventfold application and its clients.
 *
 * <pre>{@code
 * Properties props = EventfoldConfig.streams("invoice-service", "kafka-1:9092,kafka-2:9092");
 * props.put(StreamsConfig.STATE_DIR_CONFIG, "/var/lib/invoice-service");
 * }</pre>
 *
 * <p>Each method returns a new, mutable {@link Properties}: change what you need before use.
 */
public final class EventfoldConfig {

    /**
     * Streams setting: how often, in milliseconds, a partition rebuilding its snapshots does a step
     * of the rebuild, and for how long at most (default 500, at most 2000); see docs/rebuild.md.
     */
    public static final String REBUILD_TICK_MS_CONFIG = "eventfold.rebuild.tick.ms";

    /**
     * Streams setting: how many replayed aggregates a rebuilding partition keeps decoded in memory
     * before it writes them to its snapshot store with its progress (default 50,000); lower it for
     * large states. See docs/rebuild.md.
     */
    public static final String REBUILD_BUFFER_AGGREGATES_CONFIG = "eventfold.rebuild.buffer.aggregates";

    /**
     * Streams setting: how many aggregates' current states each partition keeps decoded in memory
     * (default {@value #DEFAULT_STATE_CACHE_AGGREGATES}; 0 keeps none), so that a command for an
     * aggregate handled recently does not decode its snapshot from the store again. The least
     * recently handled aggregate is dropped first; all are dropped when the partition's task is
     * closed or re-initialised, as after an aborted transaction, so the store stays the truth.
     * Memory: about this many states per partition of the instance. See docs/topology.md.
     *
     * <pre>{@code
     * props.put(EventfoldConfig.STATE_CACHE_AGGREGATES_CONFIG, 2_000);   // large states
     * }</pre>
     */
    public static final String STATE_CACHE_AGGREGATES_CONFIG = "eventfold.state.cache.aggregates";

    /** The default of {@link #STATE_CACHE_AGGREGATES_CONFIG}, per partition. */
    public static final int DEFAULT_STATE_CACHE_AGGREGATES = 10_000;

    /**
     * The shortest wait, in milliseconds, between two checks for due deadlines: a deadline fires
     * at most about this long after it is due (default {@value #DEFAULT_DEADLINE_TICK_MS}). A
     * partition checks only while it holds deadlines, and at least once a minute then.
     */
    public static final String DEADLINE_TICK_MS_CONFIG = "eventfold.deadlines.tick.ms";

    /** The default of {@link #DEADLINE_TICK_MS_CONFIG}: one second. */
    public static final long DEFAULT_DEADLINE_TICK_MS = 1000;

    /**
     * Streams setting whose value is an object, not a string: the Micrometer
     * {@code io.micrometer.core.instrument.MeterRegistry} the command topology reports to (commands
     * by result kind, handling time, duplicates, dead letters, deadlines, snapshot rebuilds and
     * state restores; see docs/operations.md). Absent, nothing is measured and Micrometer need not
     * be on the class path.
     *
     * <pre>{@code
     * Properties props = EventfoldConfig.streams("invoice-service", "localhost:9092");
     * props.put(EventfoldConfig.METER_REGISTRY_CONFIG, meterRegistry);
     * KafkaStreams streams = EventfoldStreams.start(props, invoices);
     * }</pre>
     */
    public static final String METER_REGISTRY_CONFIG = "eventfold.metrics.registry";

    /**
     * Streams setting: the {@code io.opentelemetry.api.OpenTelemetry} instance the command topology
     * and process managers trace with, put into the Kafka Streams properties as an object (Kafka
     * Streams hands it to the processors as it is). Absent: {@code GlobalOpenTelemetry} when the
     * OpenTelemetry API is on the class path, else the {@link EventfoldHeaders#TRACEPARENT} of a
     * command is copied to its outputs as it is. See docs/operations.md.
     *
     * <pre>{@code
     * Properties props = EventfoldConfig.streams("invoice-service", "kafka-1:9092");
     * props.put(EventfoldConfig.OPEN_TELEMETRY_CONFIG, openTelemetrySdk);
     * }</pre>
     */
    public static final String OPEN_TELEMETRY_CONFIG = "eventfold.tracing.opentelemetry";

    /** How every producer Eventfold configures compresses: cheap on CPU, and JSON batches shrink several times over. */
    private static final String COMPRESSION_TYPE = "lz4";

    private EventfoldConfig() {
    }

    /**
     * Kafka Streams properties for the command topology:
     * <ul>
     *   <li>{@code processing.guarantee=exactly_once_v2}: the events, snapshot and result of a
     *       command, its store updates and its input offset commit atomically;</li>
     *   <li>{@code replication.factor=-1}: internal topics (store changelogs) take the broker's
     *       default replication factor;</li>
     *   <li>{@code num.standby.replicas=1}: a warm copy of every store on another instance, so a
     *       failover does not replay whole changelogs;</li>
     *   <li>{@code deserialization.exception.handler}: log and continue. The command topology reads
     *       raw bytes and answers bad input itself, so this only guards topology you add.</li>
     *   <li>{@code producer.compression.type=lz4}: the stream threads' producer compresses its
     *       batches. JSON envelopes of one batch repeat their field names and much of their
     *       content, so the outputs and changelogs shrink several times over for little CPU, and
     *       the broker has less to write and to send to every reader (docs/benchmarks.md). The
     *       record size checks allow for the few bytes lz4 adds to data it cannot shrink.</li>
     * </ul>
     *
     * @param applicationId the Kafka Streams application id: names the consumer group and the changelogs
     * @param bootstrapServers the brokers, {@code host:port[,host:port…]}
     * @return new properties
     */
    public static Properties streams(String applicationId, String bootstrapServers) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, requireText(applicationId, "applicationId"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, requireText(bootstrapServers, "bootstrapServers"));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), COMPRESSION_TYPE);
        return props;
    }

    /**
     * Kafka Streams properties for running the command topology on a {@code TopologyTestDriver}:
     * {@link #streams} with a bootstrap address that is never contacted, and a snapshot rebuild that
     * finds no event to replay, since a driver has no broker to read the events topic from. Every
     * partition then starts with its snapshots current, as on a new cluster. (Without this, a
     * partition whose store has no marker asks the events topic and refuses commands until it can.)
     *
     * <pre>{@code
     * Properties props = EventfoldConfig.topologyTestDriver("invoice-test");
     * props.put(StreamsConfig.STATE_DIR_CONFIG, tempDir.toString());
     * try (TopologyTestDriver driver = new TopologyTestDriver(EventSourcedTopology.of(Invoices.TYPE), props)) { … }
     * }</pre>
     *
     * @param applicationId the application id the driver runs under
     * @return new properties
     */
    public static Properties topologyTestDriver(String applicationId) {
        Properties props = streams(applicationId, "topology-test-driver.invalid:9092");
        props.put(EventLogs.CONFIG, EventLogs.empty());
        return props;
    }

    /**
     * Consumer properties for reading Eventfold's output topics: {@code isolation.level=read_committed},
     * so records of an aborted transaction are never seen, no automatic offset commits, and
     * {@code allow.auto.create.topics=false}, so reading a missing topic never creates it.
     *
     * @param bootstrapServers the brokers
     * @param groupId the consumer group
     * @return new properties without deserializers
     */
    public static Properties readCommittedConsumer(String bootstrapServers, String groupId) {
        return ReadCommittedConsumers.properties(requireText(bootstrapServers, "bootstrapServers"),
                requireText(groupId, "groupId"), new Properties());
    }

    /**
     * Producer properties for writing commands: idempotent, {@code acks=all}, so a retried send is
     * never written twice.
     *
     * @param bootstrapServers the brokers
     * @return new properties without serializers
     */
    public static Properties commandProducer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, requireText(bootstrapServers, "bootstrapServers"));
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, COMPRESSION_TYPE);
        return props;
    }

    private static String requireText(String value, String field) {
        Objects.requireNonNull(value, () -> field + " must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }
}
