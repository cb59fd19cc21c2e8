package io.eventfold.core;

import java.util.List;

/**
 * Everything {@link CommandEngine#handle} produced for one command: the result for the sender,
 * the new events to append, the snapshot to store and the changes to the aggregate's deadlines.
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
 * @param deadlines the deadlines the decision scheduled or cancelled, in order; never any without
 *     events. A scheduled command fires with {@link DeadlineChange.Schedule#toCommand} at the
 *     snapshot's version
 * @param <E> the event type
 * @param <S> the state type
 */
public record Outcome<E, S>(CommandResult<E, S> result, List<Event<E>> events, Snapshot<S> snapshot,
                            List<DeadlineChange> deadlines) {

    /**
     * Validates the components and copies the events.
     *
     * @param result the result of the command
     * @param events the new events, versions contiguous after the previous snapshot's; empty unless
     *     the result is {@link CommandResult.Accepted} with events
     * @param snapshot the snapshot after the command; the previous snapshot itself when nothing changed
     * @param deadlines the deadlines the decision scheduled or cancelled, in order
     * @throws NullPointerException if a component is {@code null}
     * @throws IllegalArgumentException if there are deadline changes but no events
     */
    public Outcome {
        Checks.notNull(result, "result");
        events = List.copyOf(Checks.notNull(events, "events"));
        Checks.notNull(snapshot, "snapshot");
        deadlines = List.copyOf(Checks.notNull(deadlines, "deadlines"));
        if (events.isEmpty() && !deadlines.isEmpty()) {
            throw new IllegalArgumentException("deadline changes need events: the event log says why a deadline exists");
        }
    }

    /**
     * An outcome that changes no deadline.
     *
     * @param result the result of the command
     * @param events the new events
     * @param snapshot the snapshot after the command
     * @throws NullPointerException if a component is {@code null}
     */
    public Outcome(CommandResult<E, S> result, List<Event<E>> events, Snapshot<S> snapshot) {
        this(result, events, snapshot, List.of());
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
