package io.eventfold.testkit;

import io.eventfold.core.Event;
import io.eventfold.kafka.AggregateType;
import io.eventfold.testkit.internal.StoredFiles;
import io.eventfold.testkit.internal.StoredFiles.Stored;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The events of one aggregate read from a stored file, for {@link AggregateFixture#givenStored(String)}. */
record StoredEvents<E>(String aggregateId, List<E> payloads) {

    static <E> StoredEvents<E> read(AggregateType<?, E, ?> type, String location) {
        Path file;
        List<Stored> records;
        try {
            file = StoredFiles.resolve(location);
            records = StoredFiles.read(file, location, type.eventCodec().mapper());
        } catch (IllegalArgumentException e) {
            throw new FixtureConfigurationException("givenStored: " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            throw new FixtureConfigurationException("givenStored: " + location + " holds no event");
        }
        String aggregateId = null;
        List<E> payloads = new ArrayList<>();
        for (Stored record : records) {
            Event<E> event;
            try {
                event = type.serdes().events().deserializer().deserialize(type.topics().events(),
                        record.json().toString().getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new FixtureConfigurationException("givenStored: " + record.where() + ": cannot be read: " + e.getMessage(), e);
            }
            if (aggregateId == null) {
                aggregateId = event.aggregateId();
            } else if (!aggregateId.equals(event.aggregateId())) {
                throw new FixtureConfigurationException("givenStored: " + record.where() + " is an event of '" + event.aggregateId()
                        + "' but the first record is of '" + aggregateId + "'; a file holds one aggregate's history");
            }
            if (event.version() != payloads.size() + 1) {
                throw new FixtureConfigurationException("givenStored: " + record.where() + " has version " + event.version()
                        + " but the history needs " + (payloads.size() + 1) + " (versions are 1, 2, 3… without gaps)");
            }
            payloads.add(event.payload());
        }
        return new StoredEvents<>(aggregateId, List.copyOf(payloads));
    }
}
