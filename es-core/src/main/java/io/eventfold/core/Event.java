package io.eventfold.core;

import java.time.Instant;
import java.util.Map;

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
 * @param correlationId the chain of commands it belongs to: the {@link Command#correlation()} of
 *     its command; {@code null} means {@code commandId} (the command started the chain)
 * @param metadata who sent its command and on whose behalf: the command's metadata as the aggregate
 *     type's {@link MetadataPolicy} kept it; {@code null} means empty
 * @param <E> the event type
 */
public record Event<E>(String aggregateId, long version, String commandId, Instant timestamp, E payload, String correlationId,
                       Map<String, String> metadata) {

    /**
     * Validates every component.
     *
     * @param aggregateId the aggregate the event belongs to; not blank
     * @param version the aggregate's version after this event: the first event of an aggregate is
     *     version 1, and the versions of one aggregate are contiguous; {@code >= 1}
     * @param commandId the command that produced the event; not blank
     * @param timestamp when the command that produced it was recorded; not {@code null}
     * @param payload the domain event; not {@code null}
     * @param correlationId the chain it belongs to; {@code null} means {@code commandId}
     * @param metadata who sent its command; {@code null} means empty
     * @throws NullPointerException if a component other than {@code correlationId} and
     *     {@code metadata} is {@code null}, or {@code metadata} holds a {@code null} key or value
     * @throws IllegalArgumentException if an id is blank or {@code version < 1}
     */
    public Event {
        Checks.notBlank(aggregateId, "aggregateId");
        Checks.atLeast(version, 1, "version");
        Checks.notBlank(commandId, "commandId");
        Checks.notNull(timestamp, "timestamp");
        Checks.notNull(payload, "payload");
        correlationId = correlationId == null ? commandId : Checks.notBlank(correlationId, "correlationId");
        metadata = CommandMetadata.copyOf(metadata);
    }

    /**
     * An event of a command that started its chain, without metadata.
     *
     * @param aggregateId the aggregate the event belongs to; not blank
     * @param version the aggregate's version after this event; {@code >= 1}
     * @param commandId the command that produced the event; not blank
     * @param timestamp when the command that produced it was recorded; not {@code null}
     * @param payload the domain event; not {@code null}
     */
    public Event(String aggregateId, long version, String commandId, Instant timestamp, E payload) {
        this(aggregateId, version, commandId, timestamp, payload, null, Map.of());
    }

    /**
     * The causation id: what caused the event, its command's id.
     *
     * @return {@link #commandId()}
     */
    public String causationId() {
        return commandId;
    }
}
