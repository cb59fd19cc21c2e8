package io.eventfold.kafka.projection;

import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.SnapshotVersionException;
import io.eventfold.kafka.internal.ConsumedRecords;
import io.eventfold.kafka.internal.EnvelopeReader;
import io.eventfold.kafka.internal.EnvelopeSchema;
import io.eventfold.kafka.internal.StoredEvent;
import io.eventfold.kafka.internal.UnknownTypes;
import io.eventfold.kafka.json.JsonCodec;
import io.eventfold.kafka.json.Upcasters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Decodes a polled batch for a projection into deliveries, and decides what becomes of a record
 * whose event or state type this build does not know, by the runner's {@link UnknownTypePolicy}.
 * A snapshot of an older state version is passed over (a rebuilt one follows); one of a newer
 * version is treated like an unknown type. Any other record that cannot be read fails the batch,
 * which the runner delivers again.
 */
final class BatchDecoder<T> {

    /**
     * One record decoded: its aggregate and version, and what it delivers, in order.
     *
     * @param aggregateId the record's aggregate
     * @param version the record's version
     * @param values none when an upcaster dropped the record, several when one split it
     */
    record Decoded<T>(String aggregateId, long version, List<T> values) {
    }

    /** Reads one record's value; null for a null value (a tombstone). */
    @FunctionalInterface
    interface RecordReader<T> {
        Decoded<T> read(String topic, byte[] value);
    }

    /** Reads event records: each is the events it is today after upcasting (0..n), all at its version. */
    static <E> RecordReader<Event<E>> events(AggregateType<?, E, ?> type) {
        EnvelopeReader<?, E, ?> envelopes = new EnvelopeReader<>(EnvelopeSchema.of(type));
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            StoredEvent<E> stored = envelopes.readStoredEvent(bytes);
            return new Decoded<>(stored.aggregateId(), stored.version(), stored.events());
        };
    }

    /** Reads snapshot records of the type's current state version. */
    static <S> RecordReader<Snapshot<S>> snapshots(AggregateType<?, ?, S> type) {
        Deserializer<Snapshot<S>> snapshots = type.serdes().snapshots().deserializer();
        return (topic, bytes) -> {
            Snapshot<S> snapshot = snapshots.deserialize(topic, bytes);
            return snapshot == null ? null : new Decoded<>(snapshot.aggregateId(), snapshot.version(), List.of(snapshot));
        };
    }

    private final RecordReader<T> reader;
    private final JsonCodec<?> payloads;
    private final Upcasters upcasters;
    private final UnknownTypePolicy policy;
    private final String projection;

    /**
     * @param reader reads the records
     * @param payloads the codec of the records' payloads: events, or the state for snapshots
     * @param upcasters the upcasters of the payloads; a name they start from is a known type
     * @param policy what to do with an unknown type
     * @param projection the projection's name, for messages
     */
    BatchDecoder(RecordReader<T> reader, JsonCodec<?> payloads, Upcasters upcasters, UnknownTypePolicy policy, String projection) {
        this.reader = reader;
        this.payloads = payloads;
        this.upcasters = upcasters;
        this.policy = policy;
        this.projection = projection;
    }

    BatchDecoder<T> withPolicy(UnknownTypePolicy newPolicy) {
        return new BatchDecoder<>(reader, payloads, upcasters, newPolicy, projection);
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
     * version, in the order read (a skipped or dropped one with no delivery, so the sequencer counts
     * its version as applied); {@code skipped} the records passed over for an unknown type, for the
     * log; {@code stale} the snapshots of an older state version passed over, which count as nothing.
     */
    record Batch<T>(List<VersionSequencer.Entry<T>> entries, List<Skipped> skipped, List<String> stale) {

        List<T> values() {
            List<T> values = new ArrayList<>();
            entries.forEach(entry -> entry.deliveries().forEach(delivery -> values.add(delivery.value())));
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
        List<String> stale = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String source = ConsumedRecords.source(record);
            Decoded<T> decoded;
            try {
                decoded = reader.read(record.topic(), record.value());
            } catch (SnapshotVersionException e) {
                if (e.storedVersion() < e.currentVersion()) {
                    // Written before the state version was raised: the rebuild publishes a current one after it.
                    stale.add(source + ": aggregate " + e.aggregateId() + " state version " + e.storedVersion());
                    continue;
                }
                unknown(record, source, EnvelopeReader.textOrNull(tree(record), "type") + " at state version " + e.storedVersion(),
                        e, entries, skipped);
                continue;
            } catch (RuntimeException e) {
                List<String> unknown = UnknownTypes.inEnvelope(payloads, upcasters, record.value());
                if (unknown.isEmpty()) {
                    throw new IllegalStateException("record " + source + " cannot be read by this projection: " + e.getMessage(), e);
                }
                unknown(record, source, unknown.get(0), e, entries, skipped);
                continue;
            }
            if (decoded == null) {
                throw new IllegalStateException("record " + source + " has no value (a tombstone); this projection cannot read it");
            }
            List<Delivery<T>> deliveries = new ArrayList<>(decoded.values().size());
            for (T value : decoded.values()) {
                deliveries.add(new Delivery<>(value, decoded.aggregateId(), decoded.version(), record.topic(),
                        record.partition(), record.offset()));
            }
            entries.add(new VersionSequencer.Entry<>(decoded.aggregateId(), decoded.version(), source, deliveries));
        }
        return new Batch<>(entries, skipped, stale);
    }

    /** A record this build cannot read because a newer one wrote it: stopped at, or skipped as applied. */
    private void unknown(ConsumerRecord<String, byte[]> record, String source, String typeName, RuntimeException e,
                         List<VersionSequencer.Entry<T>> entries, List<Skipped> skipped) {
        OptionalLong recordVersion = ConsumedRecords.version(record.headers());
        if (policy == UnknownTypePolicy.STOP) {
            throw new ProjectionStoppedException(projection, source, record.key(), recordVersion, typeName,
                    List.copyOf(payloads.typeNames()), e);
        }
        skipped.add(new Skipped(source, record.key(), recordVersion, typeName));
        if (recordVersion.isPresent() && record.key() != null) {
            entries.add(new VersionSequencer.Entry<>(record.key(), recordVersion.getAsLong(), source, List.of()));
        }
    }

    private com.fasterxml.jackson.databind.JsonNode tree(ConsumerRecord<String, byte[]> record) {
        try {
            return payloads.mapper().readTree(record.value());
        } catch (java.io.IOException | RuntimeException notJson) {
            return null;
        }
    }
}
