package io.eventfold.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfold.core.Event;
import io.eventfold.kafka.AggregateType;
import io.eventfold.testkit.internal.StoredFiles;
import io.eventfold.testkit.internal.StoredFiles.Stored;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of one aggregate read from a stored file, for {@link AggregateFixture#givenStored(String)}:
 * each record read by the type's {@code serdes().storedEvents()}, upcast and decoded as on the topic.
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

    /** Reads one stored envelope as the application does: upcast, then decoded, to the events it is today. */
    private static <E> List<Event<E>> decode(AggregateType<?, E, ?> type, JsonNode stored) {
        return type.serdes().storedEvents().deserialize(type.topics().events(), stored.toString().getBytes(StandardCharsets.UTF_8));
    }
}
