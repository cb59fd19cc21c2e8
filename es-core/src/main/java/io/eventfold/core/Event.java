package io.eventfold.core;

import java.time.Instant;

/**
 * A fact recorded for one aggregate, with its place in the aggregate's history.
 *
 * <pre>{@code
 * Event<InvoiceEvent> sent = new Event<>("INV-7", 4, commandId, Instant.now(), new InvoiceSent(date));
 * }</pre>
 *
 * @param aggregateId the aggregate the event belongs to; not blank
 * @param version the aggregate's version after this event: the first event of an aggregate is
 *     version 1, and the versions of one aggregate are contiguous; {@code >= 1}
 * @param commandId the command that produced the event; not blank
 * @param timestamp when the command that produced it was recorded; not {@code null}
 * @param payload the domain event; not {@code null}
 * @param <E> the event type
 */
public record Event<E>(String aggregateId, long version, String commandId, Instant timestamp, E payload) {

    /**
     * Validates every component.
     *
     * @param aggregateId the aggregate the event belongs to; not blank
     * @param version the aggregate's version after this event: the first event of an aggregate is
     *     version 1, and the versions of one aggregate are contiguous; {@code >= 1}
     * @param commandId the command that produced the event; not blank
     * @param timestamp when the command that produced it was recorded; not {@code null}
     * @param payload the domain event; not {@code null}
     * @throws NullPointerException if a component is {@code null}
     * @throws IllegalArgumentException if an id is blank or {@code version < 1}
     */
    public Event {
        Checks.notBlank(aggregateId, "aggregateId");
        Checks.atLeast(version, 1, "version");
        Checks.notBlank(commandId, "commandId");
        Checks.notNull(timestamp, "timestamp");
        Checks.notNull(payload, "payload");
    }
}
