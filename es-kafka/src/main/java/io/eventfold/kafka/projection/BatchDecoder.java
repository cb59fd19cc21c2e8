package io.eventfold.kafka.projection;

import io.eventfold.kafka.SnapshotVersionException;
import io.eventfold.kafka.internal.ConsumedRecords;
import io.eventfold.kafka.internal.UnknownTypes;
import io.eventfold.kafka.json.JsonCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Decodes a polled batch for a projection into deliveries, and decides what becomes of a record
 * whose event or state type this build does not know, by the runner's {@link UnknownTypePolicy}.
 * A snapshot of an older state version is passed over: the snapshot rebuild publishes it again.
 * Any other record that cannot be read fails the batch, which the runner delivers again.
 */
final class BatchDecoder<T> {

    private final Deserializer<T> deserializer;
    private final JsonCodec<?> payloads;
    private final UnknownTypePolicy policy;
    private final String projection;
    private final Function<T, String> aggregateId;
    private final ToLongFunction<T> version;

    /**
     * @param deserializer reads the records
     * @param payloads the codec of the records' payloads: events, or the state for snapshots
     * @param policy what to do with an unknown type
     * @param projection the projection's name, for messages
     * @param aggregateId the aggregate of a decoded record
     * @param version the version of a decoded record
     */
    BatchDecoder(Deserializer<T> deserializer, JsonCodec<?> payloads, UnknownTypePolicy policy, String projection,
                 Function<T, String> aggregateId, ToLongFunction<T> version) {
        this.deserializer = deserializer;
        this.payloads = payloads;
        this.policy = policy;
        this.projection = projection;
        this.aggregateId = aggregateId;
        this.version = version;
    }

    BatchDecoder<T> withPolicy(UnknownTypePolicy newPolicy) {
        return new BatchDecoder<>(deserializer, payloads, newPolicy, projection, aggregateId, version);
    }

    /** A record passed over under {@link UnknownTypePolicy#SKIP}. */
    record Skipped(String source, String aggregateId, OptionalLong version, String typeName) {

        @Override
        public String toString() {
            return source + ": aggregate " + aggregateId + (version.isPresent() ? " version " + version.getAsLong() : "")
                    + " has the type '" + typeName + "', which this build does not know";
        }
    }

    /**
     * What the projection gets, and what it does not: {@code entries} holds every record with a
     * version, in the order read (a skipped one with a null delivery, so the sequencer counts its
     * version as applied); {@code skipped} the records passed over, for the log.
     */
    record Batch<T>(List<VersionSequencer.Entry<T>> entries, List<Skipped> skipped) {

        List<T> values() {
            List<T> values = new ArrayList<>();
            entries.forEach(entry -> {
                if (entry.delivery() != null) {
                    values.add(entry.delivery().value());
                }
            });
            return values;
        }
    }

    /**
     * @throws ProjectionStoppedException at the first record of an unknown type under {@link UnknownTypePolicy#STOP}
     * @throws IllegalStateException at the first record that cannot be read for another reason
     */
    Batch<T> decode(ConsumerRecords<String, byte[]> records) {
        List<VersionSequencer.Entry<T>> entries = new ArrayList<>(records.count());
        List<Skipped> skipped = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String source = ConsumedRecords.source(record);
            T value;
            try {
                value = deserializer.deserialize(record.topic(), record.value());
            } catch (RuntimeException e) {
                if (e instanceof SnapshotVersionException older && older.storedVersion() < older.currentVersion()) {
                    // Written before the state version was raised: the snapshot rebuild publishes this
                    // aggregate's snapshot again. No entry, so that one is not taken for a duplicate.
                    continue;
                }
                List<String> unknown = UnknownTypes.inEnvelope(payloads, record.value());
                if (unknown.isEmpty()) {
                    throw new IllegalStateException("record " + source + " cannot be read by this projection: " + e.getMessage(), e);
                }
                OptionalLong recordVersion = ConsumedRecords.version(record.headers());
                if (policy == UnknownTypePolicy.STOP) {
                    throw new ProjectionStoppedException(projection, source, record.key(), recordVersion, unknown.get(0),
                            List.copyOf(payloads.typeNames()), e);
                }
                skipped.add(new Skipped(source, record.key(), recordVersion, unknown.get(0)));
                if (recordVersion.isPresent() && record.key() != null) {
                    entries.add(new VersionSequencer.Entry<>(record.key(), recordVersion.getAsLong(), source, null));
                }
                continue;
            }
            if (value == null) {
                throw new IllegalStateException("record " + source + " has no value (a tombstone); this projection cannot read it");
            }
            Delivery<T> delivery = new Delivery<>(value, aggregateId.apply(value), version.applyAsLong(value), record.topic(),
                    record.partition(), record.offset());
            entries.add(new VersionSequencer.Entry<>(delivery.aggregateId(), delivery.version(), source, delivery));
        }
        return new Batch<>(entries, skipped);
    }
}
