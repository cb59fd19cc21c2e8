package io.eventfold.kafka.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfold.kafka.SnapshotVersionException;
import io.eventfold.kafka.internal.EnvelopeReader;

import java.util.Optional;

/**
 * Results written before the state version was raised. Their state is of a shape this build no
 * longer reads, and needs not be: of a result the audit needs only its ids and how many event
 * records it announced.
 */
final class OlderStateRecords {

    /** What the command ledger needs of an accepted result whose state is of an older version. */
    record AcceptedOutline(String aggregateId, String commandId, int eventsAnnounced) {
    }

    private OlderStateRecords() {
    }

    /** Whether a record could not be read only because its state is older than this build's. */
    static boolean isOlder(RuntimeException unreadable) {
        return unreadable instanceof SnapshotVersionException version && version.storedVersion() < version.currentVersion();
    }

    /**
     * The outline of an accepted result that {@link #isOlder} refused; empty when the envelope lacks
     * what the ledger needs, which then stays a violation.
     */
    static Optional<AcceptedOutline> accepted(byte[] value, EnvelopeReader<?, ?, ?> envelopes) {
        JsonNode envelope = envelopes.readTree(value, "result");
        String aggregateId = EnvelopeReader.textOrNull(envelope, "aggregateId");
        String commandId = EnvelopeReader.textOrNull(envelope, "commandId");
        JsonNode events = envelope.get("events");
        if (aggregateId == null || commandId == null || events == null || !events.isArray()
                || !"ACCEPTED".equals(EnvelopeReader.textOrNull(envelope, "kind"))) {
            return Optional.empty();
        }
        return Optional.of(new AcceptedOutline(aggregateId, commandId, events.size()));
    }
}
