package io.eventfold.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The invariants every history Eventfold writes must keep, as pure checks: the one definition
 * used by the log audit, the test kit's checks after every command and the property tests.
 * Each returns the violation as a message naming the aggregate or command id, or empty when the
 * invariant holds.
 *
 * <pre>{@code
 * HistoryInvariants.versionsContiguous("INV-7", events, 1)       // Optional.empty() for versions 1, 2, 3
 * HistoryInvariants.stateIsReplay(new InvoiceAggregate(), "INV-7", payloads, snapshot.state())
 * HistoryInvariants.oneResult("cmd-1", List.of())               // "command cmd-1 has no result"
 * }</pre>
 */
public final class HistoryInvariants {

    private HistoryInvariants() {
    }

    /**
     * An aggregate's events carry the versions {@code first, first + 1, …} in order.
     *
     * @param aggregateId the aggregate, for the message
     * @param events its events, oldest first
     * @param first the version the first event must have, {@code >= 1}
     * @return the first gap or repetition found
     */
    public static Optional<String> versionsContiguous(String aggregateId, List<? extends Event<?>> events, long first) {
        Checks.atLeast(first, 1, "first");
        for (int i = 0; i < events.size(); i++) {
            Event<?> event = events.get(i);
            if (event.version() != first + i) {
                return Optional.of("aggregate " + aggregateId + ": event #" + (i + 1) + " has version " + event.version()
                        + ", expected " + (first + i) + " (command " + event.commandId() + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * A state is the replay of its aggregate's whole history: the events are the single source of truth.
     *
     * @param aggregate the aggregate whose {@code evolve} replays the history
     * @param aggregateId the aggregate, for the message
     * @param history every event payload of the aggregate, oldest first
     * @param state the state to check, e.g. a snapshot's
     * @param <E> the event type
     * @param <S> the state type
     * @return a difference, or the exception replaying threw
     */
    public static <E, S> Optional<String> stateIsReplay(Aggregate<?, E, S> aggregate, String aggregateId,
                                                        List<E> history, S state) {
        S replayed;
        try {
            replayed = aggregate.replay(history);
        } catch (RuntimeException e) {
            return Optional.of("aggregate " + aggregateId + ": its " + history.size() + " events cannot be replayed: " + e);
        }
        return Objects.equals(replayed, state) ? Optional.empty()
                : Optional.of("aggregate " + aggregateId + ": the state is not the replay of its " + history.size() + " events");
    }

    /**
     * The latest snapshot of an aggregate is at the version of its last event.
     *
     * @param aggregateId the aggregate, for the message
     * @param snapshot its latest snapshot, or null when there is none
     * @param events its events, oldest first
     * @return the mismatch, or a missing snapshot of an aggregate that has events
     */
    public static Optional<String> snapshotAtLastEvent(String aggregateId, Snapshot<?> snapshot, List<? extends Event<?>> events) {
        if (snapshot == null) {
            return events.isEmpty() ? Optional.empty()
                    : Optional.of("aggregate " + aggregateId + " has " + events.size() + " events but no snapshot");
        }
        long last = events.isEmpty() ? 0 : events.get(events.size() - 1).version();
        return snapshot.version() == last ? Optional.empty()
                : Optional.of("aggregate " + aggregateId + ": latest snapshot is version " + snapshot.version()
                        + " but the last event is version " + last);
    }

    /**
     * A command has exactly one final result, re-sent duplicates aside. Failures may come before
     * it: a failed command changed nothing and is not remembered, so a redelivery of it is
     * handled again; nothing may come after a result that is not a failure.
     *
     * @param commandId the command
     * @param results the results written for it, oldest first, without re-sent duplicates
     * @return "no result", more than one final result, or a result after the final one
     */
    public static Optional<String> oneResult(String commandId, List<? extends CommandResult<?, ?>> results) {
        if (results.isEmpty()) {
            return Optional.of("command " + commandId + " has no result");
        }
        List<? extends CommandResult<?, ?>> finals = results.stream()
                .filter(result -> !(result instanceof CommandResult.Failed)).toList();
        if (finals.size() > 1) {
            return Optional.of("command " + commandId + " has " + finals.size() + " results: " + finals);
        }
        if (finals.size() == 1 && results.get(results.size() - 1) != finals.get(0)) {
            return Optional.of("command " + commandId + " has a result after its final one: " + results);
        }
        return Optional.empty();
    }

    /**
     * The result that counts for a command: its final result, or its last failure when it has
     * only failures.
     *
     * @param results the results written for it, oldest first, not empty
     * @param <R> the result type
     * @return the result that counts
     */
    public static <R extends CommandResult<?, ?>> R finalResult(List<R> results) {
        return results.stream().filter(result -> !(result instanceof CommandResult.Failed)).findFirst()
                .orElse(results.get(results.size() - 1));
    }

    /**
     * The events written for a command are those its result announces: all of an accepted
     * command's events, none for any other kind.
     *
     * @param result the command's result
     * @param eventsWritten how many events carry the command's id
     * @return the mismatch
     */
    public static Optional<String> eventsMatchResult(CommandResult<?, ?> result, int eventsWritten) {
        int expected = result instanceof CommandResult.Accepted<?, ?> accepted ? accepted.events().size() : 0;
        // A re-sent AlreadyAccepted announces events written with the original result, not again.
        return expected == eventsWritten ? Optional.empty()
                : Optional.of("command " + result.commandId() + " (" + result.kind() + ") has " + eventsWritten
                        + " events on the events topic, its result says " + expected);
    }
}
