package io.eventfold.kafka.internal;

import io.eventfold.core.Command;
import io.eventfold.core.Event;
import io.eventfold.core.MetadataPolicy;

import java.util.Map;

/**
 * Where an output record comes from, beyond its command id (the causation id): the correlation
 * id of its chain and the metadata kept of its command, as the event, snapshot and result
 * records of one command carry them in their headers.
 */
record Provenance(String correlationId, Map<String, String> metadata) {

    /** What an event records. */
    static Provenance of(Event<?> event) {
        return new Provenance(event.correlationId(), event.metadata());
    }

    /** What the events of a command record, also for its snapshot and result. */
    static Provenance of(Command<?> command, MetadataPolicy policy) {
        return new Provenance(command.correlation(), policy.apply(command.metadata()));
    }
}
