package io.eventfold.kafka.internal;

import io.eventfold.core.Event;

import java.util.List;

/**
 * One event record as stored and the events it is today, after upcasting: none when an upcaster
 * dropped it, several when one split it. Readers that count count stored records (a projection's
 * versions, the audit's checks), and apply each of its events.
 *
 * @param aggregateId the record's aggregate
 * @param version the record's version, which each of its events carries
 * @param commandId the command that wrote it
 * @param events the events it is today, in order
 * @param <E> the event type
 */
public record StoredEvent<E>(String aggregateId, long version, String commandId, List<Event<E>> events) {

    public StoredEvent {
        events = List.copyOf(events);
    }
}
