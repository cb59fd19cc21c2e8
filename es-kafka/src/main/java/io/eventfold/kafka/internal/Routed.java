package io.eventfold.kafka.internal;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * An output value that already knows its topic and bytes: the command processor encodes every
 * output itself (so an encoding error becomes a {@code Failed} result instead of a dead stream)
 * and a single sink routes it.
 */
public record Routed(String topic, byte[] value) {

    /** Sends each record to the topic it names. */
    public static final TopicNameExtractor<String, Routed> TOPIC = (key, routed, context) -> routed.topic();

    /** Writes the already-encoded bytes; output only. */
    public static final Serde<Routed> SERDE = Serdes.serdeFrom(
            (Serializer<Routed>) (topic, routed) -> routed == null ? null : routed.value(),
            (topic, bytes) -> {
                throw new UnsupportedOperationException("Routed values are written, never read");
            });
}
