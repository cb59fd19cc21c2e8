package io.eventfold.kafka.internal;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;

/**
 * An output value that already knows its topic, its bytes and, for a reply, its partition: the
 * command processor encodes every output itself (so an encoding error becomes a {@code Failed}
 * result instead of a dead stream) and a single sink routes it.
 *
 * @param topic the topic to write to
 * @param value the encoded value
 * @param partition the partition a reply goes to, or null to partition by key as every other output
 */
public record Routed(String topic, byte[] value, Integer partition) {

    private static final Logger LOG = LoggerFactory.getLogger(Routed.class);

    /**
     * An output partitioned by its key.
     *
     * @param topic the topic to write to
     * @param value the encoded value
     */
    public Routed(String topic, byte[] value) {
        this(topic, value, null);
    }

    /** Sends each record to the topic it names. */
    public static final TopicNameExtractor<String, Routed> TOPIC = (key, routed, context) -> routed.topic();

    /**
     * Sends a reply to the partition it names, every other output by key (the producer's default,
     * so co-partitioned outputs stay where the aggregate's records are). A reply to a partition the
     * topic does not have is dropped, not sent: the producer would refuse it and stop the stream
     * thread, and the result it copies is on the command-results topic all the same.
     */
    public static final StreamPartitioner<String, Routed> PARTITIONER = (topic, key, routed, partitions) -> {
        if (routed == null || routed.partition() == null) {
            return Optional.empty();
        }
        if (routed.partition() >= partitions) {
            LOG.warn("a reply for aggregate {} names partition {} of {}, which has {} partitions: not sent (the result"
                    + " is on the command-results topic)", key, routed.partition(), topic, partitions);
            return Optional.of(Set.of());
        }
        return Optional.of(Set.of(routed.partition()));
    };

    /** Writes the already-encoded bytes; output only. */
    public static final Serde<Routed> SERDE = Serdes.serdeFrom(
            (Serializer<Routed>) (topic, routed) -> routed == null ? null : routed.value(),
            (topic, bytes) -> {
                throw new UnsupportedOperationException("Routed values are written, never read");
            });
}
