package io.eventfold.kafka.internal;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the {@code max.message.bytes} of topics, for {@link OutputLimits}. A topic that does not
 * exist yet (a changelog before the first start) is left out, and the producer's limit alone
 * applies to it; Kafka Streams creates it with the broker's {@code message.max.bytes}, 1,048,588
 * bytes by default, just above the producer's default {@code max.request.size}.
 */
public final class TopicMessageLimits {

    private TopicMessageLimits() {
    }

    /**
     * @return each existing topic's {@code max.message.bytes}
     * @throws IllegalStateException naming the topic, if the broker does not answer in time or refuses
     */
    public static Map<String, Integer> read(Admin admin, Collection<String> topics, Duration timeout) {
        Map<ConfigResource, KafkaFuture<Config>> futures = admin.describeConfigs(topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList()).values();
        Map<String, Integer> limits = new HashMap<>();
        for (Map.Entry<ConfigResource, KafkaFuture<Config>> entry : futures.entrySet()) {
            String topic = entry.getKey().name();
            try {
                ConfigEntry limit = entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (limit != null && limit.value() != null) {
                    limits.put(topic, Integer.parseInt(limit.value()));
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot read " + TopicConfig.MAX_MESSAGE_BYTES_CONFIG + " of topic "
                            + topic + ": " + e.getCause(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("cannot read " + TopicConfig.MAX_MESSAGE_BYTES_CONFIG + " of topic "
                        + topic + ": no answer within " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the configs of topic " + topic, e);
            }
        }
        return limits;
    }
}
