package io.eventfold.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfold.core.Event;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.json.StoredPayload;
import io.eventfold.testkit.internal.StoredFiles;
import io.eventfold.testkit.internal.StoredFiles.Stored;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of one aggregate read from a stored file, for {@link AggregateFixture#givenStored(String)}:
 * each record upcast through the type's event upcasters, then read by the type's event serde.
 */
record StoredEvents<E>(String aggregateId, List<E> payloads) {

    static <E> StoredEvents<E> read(AggregateType<?, E, ?> type, String location) {
        List<Stored> records;
        try {
            Path file = StoredFiles.resolve(location);
            records = StoredFiles.read(file, location, type.eventCodec().mapper());
        } catch (IllegalArgumentException e) {
            throw new FixtureConfigurationException("givenStored: " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            throw new FixtureConfigurationException("givenStored: " + location + " holds no event");
        }
        String aggregateId = null;
        long version = 0;
        List<E> payloads = new ArrayList<>();
        for (Stored record : records) {
            List<Event<E>> events;
            try {
                events = decode(type, record.json());
            } catch (RuntimeException e) {
                throw new FixtureConfigurationException("givenStored: " + record.where() + ": cannot be read: " + e.getMessage(), e);
            }
            for (Event<E> event : events) {
                if (aggregateId == null) {
                    aggregateId = event.aggregateId();
                } else if (!aggregateId.equals(event.aggregateId())) {
                    throw new FixtureConfigurationException("givenStored: " + record.where() + " is an event of '" + event.aggregateId()
                            + "' but the first record is of '" + aggregateId + "'; a file holds one aggregate's history");
                }
                if (event.version() != version + 1) {
                    throw new FixtureConfigurationException("givenStored: " + record.where() + " has version " + event.version()
                            + " but the history needs " + (version + 1) + " (versions are 1, 2, 3… without gaps)");
                }
                payloads.add(event.payload());
            }
            version++;
        }
        if (aggregateId == null) {
            throw new FixtureConfigurationException("givenStored: every record of " + location + " was dropped by the upcasters");
        }
        return new StoredEvents<>(aggregateId, List.copyOf(payloads));
    }

    /** Upcasts one stored envelope and reads each payload it becomes as an event of the stored record's version. */
    private static <E> List<Event<E>> decode(AggregateType<?, E, ?> type, JsonNode stored) {
        if (!(stored instanceof ObjectNode envelope) || !envelope.path("type").isTextual()
                || !(envelope.get("payload") instanceof ObjectNode payload)) {
            throw new IllegalArgumentException("an event envelope needs a text field 'type' and an object 'payload'");
        }
        int typeVersion = envelope.path("typeVersion").asInt(1);
        List<StoredPayload> today = type.eventUpcasters().apply(new StoredPayload(envelope.get("type").asText(), typeVersion,
                payload.deepCopy()));
        List<Event<E>> events = new ArrayList<>();
        for (StoredPayload next : today) {
            ObjectNode current = envelope.deepCopy();
            current.put("type", next.type());
            current.put("typeVersion", next.version());   // read as current: upcast here, not again by the serde
            current.set("payload", next.json());
            events.add(type.serdes().events().deserializer().deserialize(type.topics().events(),
                    current.toString().getBytes(StandardCharsets.UTF_8)));
        }
        return events;
    }
}
