package io.eventfold.kafka;

import io.eventfold.kafka.internal.metrics.Meters;
import io.eventfold.kafka.internal.OutputLimits;
import io.eventfold.kafka.internal.TopicMessageLimits;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Starts the command topology of aggregate types after checking their topics, so a mis-sized or
 * missing topic stops the application at once instead of corrupting data later.
 *
 * <pre>{@code
 * Properties props = EventfoldConfig.streams("invoice-service", "localhost:9092");
 * KafkaStreams streams = EventfoldStreams.start(props, invoices);
 * Runtime.getRuntime().addShutdownHook(new Thread(streams::close));
 * }</pre>
 */
public final class EventfoldStreams {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** How long a failed start waits for the instance to close: bounded, so the failure is reported. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private EventfoldStreams() {
    }

    /**
     * Verifies the topic layout of the types, then builds and starts their topology. Topics
     * replicated below production needs are refused on a cluster of 3 or more brokers and logged
     * at WARN on a smaller one ({@link ReplicationPolicy#REFUSE_IF_ATTAINABLE}).
     *
     * @param streamsProperties Kafka Streams properties, typically from {@link EventfoldConfig#streams}
     * @param parts the aggregate types to handle commands for, and the process managers to run
     * @return the started streams instance; close it on shutdown
     * @throws TopicLayoutException if a topic is missing or misconfigured; nothing is started then
     * @throws RuntimeException whatever {@link KafkaStreams#start()} throws; the instance is closed then
     */
    public static KafkaStreams start(Properties streamsProperties, TopologyPart... parts) {
        return start(streamsProperties, TopicLayout.of(parts).replicationPolicy(), parts);
    }

    /**
     * Verifies the topic layout of the types under the given replication policy, then builds and
     * starts their topology.
     *
     * <pre>{@code
     * KafkaStreams streams = EventfoldStreams.start(props, ReplicationPolicy.REFUSE, invoices);
     * }</pre>
     *
     * @param streamsProperties Kafka Streams properties, typically from {@link EventfoldConfig#streams}
     * @param replication what to do with topics replicated below production needs
     * @param parts the aggregate types to handle commands for, and the process managers to run
     * @return the started streams instance; close it on shutdown
     * @throws TopicLayoutException if a topic is missing or misconfigured, or replicated below
     *     production needs and the policy refuses that; nothing is started then
     * @throws RuntimeException whatever {@link KafkaStreams#start()} throws; the instance is closed then
     */
    public static KafkaStreams start(Properties streamsProperties, ReplicationPolicy replication,
                                     TopologyPart... parts) {
        Objects.requireNonNull(streamsProperties, "streamsProperties must not be null");
        Objects.requireNonNull(replication, "replication must not be null");
        Topology topology = EventSourcedTopology.of(parts);
        Properties withLimits = new Properties();
        withLimits.putAll(streamsProperties);
        try (Admin admin = Admin.create(adminProperties(streamsProperties))) {
            TopicLayout.of(parts).withReplicationPolicy(replication).verify(admin);
            withLimits.putAll(OutputLimits.asConfigs(TopicMessageLimits.read(admin,
                    outputTopics(streamsProperties, TopologyParts.of(parts)), ADMIN_TIMEOUT)));
        }
        KafkaStreams streams = new KafkaStreams(topology, withLimits);
        try {
            Meters.restores(withLimits).ifPresent(streams::setGlobalStateRestoreListener);
            streams.start();
        } catch (RuntimeException | Error e) {
            // Unclosed, the instance would keep its clients and the lock of its state directory:
            // no later instance of the application could start in this process.
            closeAfterFailedStart(streams, e);
            throw e;
        }
        return streams;
    }

    private static void closeAfterFailedStart(KafkaStreams streams, Throwable failure) {
        try {
            if (!streams.close(CloseOptions.timeout(CLOSE_TIMEOUT))) {
                failure.addSuppressed(new TimeoutException("the Kafka Streams instance that failed to start did not close within "
                        + CLOSE_TIMEOUT.toSeconds() + "s"));
            }
        } catch (RuntimeException closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }

    /**
     * Every topic the command processors write to, the stores' changelogs included: an output
     * over a topic's {@code max.message.bytes} is answered with {@code Failed} instead of aborting
     * the transaction (see docs/topology.md).
     */
    private static List<String> outputTopics(Properties streamsProperties, TopologyParts parts) {
        String applicationId = streamsProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        List<String> topics = new ArrayList<>();
        for (ProcessManagerType<?, ?, ?> manager : parts.managers()) {
            topics.addAll(manager.topics().all());
            if (applicationId != null) {
                manager.stores().forEach(store -> topics.add(StoreNames.changelog(applicationId, store)));
            }
        }
        for (AggregateType<?, ?, ?> type : parts.types()) {
            TopicNames names = type.topics();
            topics.addAll(List.of(names.commands(), names.events(), names.snapshots(), names.commandResults(), names.deadLetters(), names.replies()));
            if (applicationId != null) {
                topics.addAll(type.stores().changelogs(applicationId));
            }
        }
        return topics;
    }

    /**
     * The admin client settings within streams properties: bootstrap servers, security settings,
     * and anything prefixed with {@code admin.}.
     */
    static Map<String, Object> adminProperties(Properties streamsProperties) {
        Map<String, Object> admin = new HashMap<>();
        streamsProperties.forEach((key, value) -> {
            String name = String.valueOf(key);
            if (name.equals(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) || name.startsWith("security.")
                    || name.startsWith("sasl.") || name.startsWith("ssl.")) {
                admin.putIfAbsent(name, value);
            }
        });
        // Explicit admin.-prefixed settings win over the shared ones.
        streamsProperties.forEach((key, value) -> {
            String name = String.valueOf(key);
            if (name.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
                admin.put(name.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()), value);
            }
        });
        return admin;
    }
}
