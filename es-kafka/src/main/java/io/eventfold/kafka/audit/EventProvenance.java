package io.eventfold.kafka.audit;

import io.eventfold.core.Event;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.internal.StoredEvent;
import org.apache.kafka.common.header.Headers;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An event record's headers must say what its envelope says about who sent its command and the
 * chain it belongs to: consumers that do not decode payloads route on the headers, and the
 * envelope is what the audit trail keeps. Records written before either existed carry neither,
 * and agree.
 */
final class EventProvenance {

    private EventProvenance() {
    }

    /** What the headers get wrong against the envelope, if anything. */
    static Optional<String> mismatch(Headers headers, StoredEvent<?> record) {
        if (record.events().isEmpty()) {
            return Optional.empty(); // dropped by an upcaster: nothing is read of it
        }
        Event<?> event = record.events().get(0);
        String where = "event " + Violations.id(record.aggregateId()) + "@" + record.version() + " of command "
                + Violations.id(record.commandId());
        Optional<String> header = EventfoldHeaders.correlationId(headers);
        if (!header.orElse(event.commandId()).equals(event.correlationId())) {
            return Optional.of(where + ": its headers say correlation id '" + Violations.id(header.orElse(event.commandId()))
                    + "' but its envelope '" + Violations.id(event.correlationId()) + "'");
        }
        Map<String, String> inHeaders = EventfoldHeaders.metadata(headers);
        Map<String, String> inEnvelope = new TreeMap<>(event.metadata());
        if (!inHeaders.equals(inEnvelope)) {
            return Optional.of(where + ": its " + EventfoldHeaders.METADATA_PREFIX + "* headers say " + inHeaders
                    + " but its envelope " + inEnvelope);
        }
        return Optional.empty();
    }
}
