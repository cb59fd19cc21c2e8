package io.eventfold.kafka.projection;

import io.eventfold.kafka.internal.ConsumedRecords;
import io.eventfold.kafka.internal.UnknownTypes;
import io.eventfold.kafka.json.JsonCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Decodes a polled batch for a projection, and decides what becomes of a record whose event or
 * state type this build does not know, by the runner's {@link UnknownTypePolicy}. Any other
 * record that cannot be read fails the batch, which the runner delivers again.
 */
final class BatchDecoder<T> {

    private final Deserializer<T> deserializer;
    private final JsonCodec<?> payloads;
    private final UnknownTypePolicy policy;
    private final String projection;

    /**
     * @param deserializer reads the records
     * @param payloads the codec of the records' payloads: events, or the state for snapshots
     * @param policy what to do with an unknown type
     * @param projection the projection's consumer group, for messages
     */
    BatchDecoder(Deserializer<T> deserializer, JsonCodec<?> payloads, UnknownTypePolicy policy, String projection) {
        this.deserializer = deserializer;
        this.payloads = payloads;
        this.policy = policy;
        this.projection = projection;
    }

    BatchDecoder<T> withPolicy(UnknownTypePolicy newPolicy) {
        return new BatchDecoder<>(deserializer, payloads, newPolicy, projection);
    }

    UnknownTypePolicy policy() {
        return policy;
    }

    /** A record passed over under {@link UnknownTypePolicy#SKIP}. */
    record Skipped(String source, String aggregateId, OptionalLong version, String typeName) {

        @Override
        public String toString() {
            return source + ": aggregate " + aggregateId + (version.isPresent() ? " version " + version.getAsLong() : "")
                    + " has the type '" + typeName + "', which this build does not know";
        }
    }

    /** What the projection gets, and what it does not. */
    record Batch<T>(List<T> values, List<Skipped> skipped) {
    }

    /**
     * @throws ProjectionStoppedException at the first record of an unknown type under {@link UnknownTypePolicy#STOP}
     * @throws IllegalStateException at the first record that cannot be read for another reason
     */
    Batch<T> decode(ConsumerRecords<String, byte[]> records) {
        List<T> values = new ArrayList<>(records.count());
        List<Skipped> skipped = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                values.add(deserializer.deserialize(record.topic(), record.value()));
            } catch (RuntimeException e) {
                List<String> unknown = UnknownTypes.inEnvelope(payloads, record.value());
                String source = ConsumedRecords.source(record);
                if (unknown.isEmpty()) {
                    throw new IllegalStateException("record " + source + " cannot be read by this projection: " + e.getMessage(), e);
                }
                OptionalLong version = ConsumedRecords.version(record.headers());
                if (policy == UnknownTypePolicy.STOP) {
                    throw new ProjectionStoppedException(projection, source, record.key(), version, unknown.get(0),
                            List.copyOf(payloads.typeNames()), e);
                }
                skipped.add(new Skipped(source, record.key(), version, unknown.get(0)));
            }
        }
        return new Batch<>(values, skipped);
    }
}
