package io.eventfold.core;

import java.util.List;

/**
 * Everything {@link CommandEngine#handle} produced for one command: the result for the sender,
 * the new events to append, and the snapshot to store.
 *
 * <pre>{@code
 * Outcome<InvoiceEvent, Invoice> outcome = engine.handle(snapshot, command, Instant.now());
 * outcome.events().forEach(eventLog::append);
 * snapshots.put(outcome.snapshot());
 * }</pre>
 *
 * @param result the result of the command
 * @param events the new events, versions contiguous after the previous snapshot's; empty unless
 *     the result is {@link CommandResult.Accepted} with events
 * @param snapshot the snapshot after the command; the previous snapshot itself when nothing changed
 * @param <E> the event type
 * @param <S> the state type
 */
public record Outcome<E, S>(CommandResult<E, S> result, List<Event<E>> events, Snapshot<S> snapshot) {

    /**
     * Validates the components and copies the events.
     *
     * @param result the result of the command
     * @param events the new events, versions contiguous after the previous snapshot's; empty unless
     *     the result is {@link CommandResult.Accepted} with events
     * @param snapshot the snapshot after the command; the previous snapshot itself when nothing changed
     * @throws NullPointerException if a component is {@code null}
     */
    public Outcome {
        Checks.notNull(result, "result");
        events = List.copyOf(Checks.notNull(events, "events"));
        Checks.notNull(snapshot, "snapshot");
    }

    /**
     * Tells whether the command changed the aggregate, that is produced at least one event.
     *
     * @return {@code true} when there are new events and a new snapshot to store
     */
    public boolean changed() {
        return !events.isEmpty();
    }
}
