package io.eventfold.kafka;

import io.eventfold.kafka.internal.OutputLimits;
import io.eventfold.kafka.internal.TopicMessageLimits;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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

    private EventfoldStreams() {
    }

    /**
     * Verifies the topic layout of the types, then builds and starts their topology.
     *
     * @param streamsProperties Kafka Streams properties, typically from {@link EventfoldConfig#streams}
     * @param types the aggregate types to handle commands for
     * @return the started streams instance; close it on shutdown
     * @throws TopicLayoutException if a topic is missing or misconfigured; nothing is started then
     */
    public static KafkaStreams start(Properties streamsProperties, AggregateType<?, ?, ?>... types) {
        Objects.requireNonNull(streamsProperties, "streamsProperties must not be null");
        Topology topology = EventSourcedTopology.of(types);
        Properties withLimits = new Properties();
        withLimits.putAll(streamsProperties);
        try (Admin admin = Admin.create(adminProperties(streamsProperties))) {
            TopicLayout.of(types).verify(admin);
            withLimits.putAll(OutputLimits.asConfigs(TopicMessageLimits.read(admin,
                    outputTopics(streamsProperties, types), ADMIN_TIMEOUT)));
        }
        KafkaStreams streams = new KafkaStreams(topology, withLimits);
        streams.start();
        return streams;
    }

    /**
     * Every topic the command processors write to, the stores' changelogs included: an output
     * over a topic's {@code max.message.bytes} is answered with {@code Failed} instead of aborting
     * the transaction (see docs/topology.md).
     */
    private static List<String> outputTopics(Properties streamsProperties, AggregateType<?, ?, ?>... types) {
        String applicationId = streamsProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        List<String> topics = new ArrayList<>();
        for (AggregateType<?, ?, ?> type : types) {
            TopicNames names = type.topics();
            topics.addAll(List.of(names.events(), names.snapshots(), names.commandResults(), names.deadLetters()));
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
