package io.eventfold.kafka.internal;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the {@code max.message.bytes} of topics, for {@link OutputLimits}. A topic that does not
 * exist yet (a store's changelog before the first start) gets the broker's
 * {@code message.max.bytes}, with which Kafka Streams will create it: otherwise a producer allowed
 * more than the broker would write a first large snapshot that the broker refuses.
 */
public final class TopicMessageLimits {

    private TopicMessageLimits() {
    }

    /**
     * @return each topic's {@code max.message.bytes}; the broker's {@code message.max.bytes} for a topic that does not exist yet
     * @throws IllegalStateException naming the topic, if the broker does not answer in time or refuses
     */
    public static Map<String, Integer> read(Admin admin, Collection<String> topics, Duration timeout) {
        Map<ConfigResource, KafkaFuture<Config>> futures = admin.describeConfigs(topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList()).values();
        Map<String, Integer> limits = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<ConfigResource, KafkaFuture<Config>> entry : futures.entrySet()) {
            String topic = entry.getKey().name();
            try {
                value(await(entry.getValue(), "topic " + topic, timeout), TopicConfig.MAX_MESSAGE_BYTES_CONFIG)
                        .ifPresent(limit -> limits.put(topic, limit));
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                missing.add(topic);
            }
        }
        if (!missing.isEmpty()) {
            brokerLimit(admin, timeout).ifPresent(limit -> missing.forEach(topic -> limits.put(topic, limit)));
        }
        return limits;
    }

    /** The {@code message.max.bytes} of a broker of the cluster: what a new topic gets unless told otherwise. */
    private static Optional<Integer> brokerLimit(Admin admin, Duration timeout) {
        Collection<Node> brokers = await(admin.describeCluster().nodes(), "the cluster's brokers", timeout);
        if (brokers.isEmpty()) {
            return Optional.empty();
        }
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, brokers.iterator().next().idString());
        Config config = await(admin.describeConfigs(List.of(broker)).values().get(broker), "broker " + broker.name(), timeout);
        return value(config, "message.max.bytes");
    }

    private static Optional<Integer> value(Config config, String name) {
        ConfigEntry entry = config.get(name);
        return entry == null || entry.value() == null ? Optional.empty() : Optional.of(Integer.parseInt(entry.value().trim()));
    }

    /** @throws IllegalStateException naming what was read, with the broker's error as its cause */
    private static <T> T await(KafkaFuture<T> future, String what, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the configs of " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot read the configs of " + what + ": no answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the configs of " + what, e);
        }
    }
}
