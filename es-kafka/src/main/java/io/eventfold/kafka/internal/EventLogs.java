package io.eventfold.kafka.internal;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;
import java.util.Properties;

/**
 * Opens the {@link EventLog} of one events partition. The topology reads Kafka; a test (or the
 * testkit, which has no broker) puts another factory into the application's configs under
 * {@link #CONFIG}, where Kafka Streams hands it to the processor as it is.
 */
@FunctionalInterface
public interface EventLogs {

    /** The app-config key of a factory that replaces Kafka; internal, for tests and the testkit. */
    String CONFIG = "eventfold.internal.rebuild.event.logs";

    /**
     * Opens a log.
     *
     * @param topic the events topic
     * @param partition the partition of the task
     * @return a log positioned nowhere yet; {@link EventLog#seek} before polling
     */
    EventLog open(String topic, int partition);

    /** A factory of logs without a record: every partition is fresh. */
    static EventLogs empty() {
        return (topic, partition) -> new InMemoryEventLog(java.util.List.of());
    }

    /**
     * The factory the command processor uses: the one under {@link #CONFIG}, else Kafka with a
     * private read_committed consumer built from the application's configs (security included,
     * no group, {@code assign} only).
     */
    static EventLogs of(Map<String, Object> appConfigs, String clientId) {
        Object configured = appConfigs.get(CONFIG);
        if (configured instanceof EventLogs logs) {
            return logs;
        }
        return (topic, partition) -> {
            Map<String, Object> restore = new StreamsConfig(appConfigs).getRestoreConsumerConfigs(clientId);
            Properties overrides = new Properties();
            restore.forEach((key, value) -> {
                if (value != null) {
                    overrides.put(key, value);
                }
            });
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                    ReadCommittedConsumers.properties(null, null, overrides), new StringDeserializer(), new ByteArrayDeserializer());
            return new KafkaEventLog(consumer, topic, partition);
        };
    }
}
