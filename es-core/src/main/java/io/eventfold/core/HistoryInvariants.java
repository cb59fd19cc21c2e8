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
 * <p>Each check on a whole history has a form for a history read one event at a time, which
 * holds only the last version and the folded state ({@link #versionInPlace},
 * {@link #stateIsReplay(String, long, Object, Object)}, {@link #snapshotAtLastEvent(String, Snapshot, long, long)}):
 * the list forms are written with them, so both say the same.
 *
 * <pre>{@code
 * HistoryInvariants.versionsContiguous("INV-7", events, 1)       // Optional.empty() for versions 1, 2, 3
 * HistoryInvariants.stateIsReplay(new InvoiceAggregate(), "INV-7", payloads, snapshot.state())
 * HistoryInvariants.oneResult("INV-7", "cmd-1", List.of())     // "command cmd-1 for INV-7 has no result"
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
            Optional<String> violation = versionInPlace(aggregateId, i + 1, events.get(i), first + i);
            if (violation.isPresent()) {
                return violation;
            }
        }
        return Optional.empty();
    }

    /**
     * One event of a history read one at a time has the version that follows the previous one.
     *
     * <pre>{@code
     * HistoryInvariants.versionInPlace("INV-7", 2, event, 2)   // "aggregate INV-7: event #2 has version 3, expected 2 (command c-9)"
     * }</pre>
     *
     * @param aggregateId the aggregate, for the message
     * @param position the event's position in the history, from 1
     * @param event the event
     * @param expected the version it must have
     * @return the gap or repetition
     */
    public static Optional<String> versionInPlace(String aggregateId, long position, Event<?> event, long expected) {
        return versionInPlace(aggregateId, position, event.version(), event.commandId(), expected);
    }

    /**
     * The same rule for a stored event record, which may hold no event or several once read
     * (an upcaster dropped or split it): it is one position of the history all the same.
     *
     * <pre>{@code
     * HistoryInvariants.versionInPlace("INV-1", 3, 4, "c-9", 3)   // "aggregate INV-1: event #3 has version 4, expected 3 (command c-9)"
     * }</pre>
     *
     * @param aggregateId the aggregate, for the message
     * @param position the record's position in the history, from 1
     * @param version the record's version
     * @param commandId the command that wrote it, for the message
     * @param expected the version it must have
     * @return the gap or repetition
     */
    public static Optional<String> versionInPlace(String aggregateId, long position, long version, String commandId, long expected) {
        return version == expected ? Optional.empty()
                : Optional.of("aggregate " + aggregateId + ": event #" + position + " has version " + version
                        + ", expected " + expected + " (command " + commandId + ")");
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
            return Optional.of(cannotReplay(aggregateId, history.size(), e));
        }
        return stateIsReplay(aggregateId, history.size(), replayed, state);
    }

    /**
     * A state equals the replay of its aggregate's history, folded beforehand, e.g. one event at a time.
     *
     * <pre>{@code
     * HistoryInvariants.stateIsReplay("INV-7", 12, folded, snapshot.state())
     * }</pre>
     *
     * @param aggregateId the aggregate, for the message
     * @param eventCount how many events were folded
     * @param replayed the state the events fold to
     * @param state the state to check, e.g. a snapshot's
     * @return the difference
     */
    public static Optional<String> stateIsReplay(String aggregateId, long eventCount, Object replayed, Object state) {
        return Objects.equals(replayed, state) ? Optional.empty()
                : Optional.of("aggregate " + aggregateId + ": the state is not the replay of its " + eventCount + " events");
    }

    /**
     * The violation of a history whose replay throws.
     *
     * <pre>{@code
     * HistoryInvariants.cannotReplay("INV-7", 12, e)   // "aggregate INV-7: its 12 events cannot be replayed: java.lang.…"
     * }</pre>
     *
     * @param aggregateId the aggregate, for the message
     * @param eventCount how many events the history has
     * @param error what {@code evolve} threw
     * @return the message
     */
    public static String cannotReplay(String aggregateId, long eventCount, RuntimeException error) {
        return "aggregate " + aggregateId + ": its " + eventCount + " events cannot be replayed: " + error;
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
        return snapshotAtLastEvent(aggregateId, snapshot, events.size(),
                events.isEmpty() ? 0 : events.get(events.size() - 1).version());
    }

    /**
     * The latest snapshot of an aggregate is at the version of its last event, for a history read
     * one event at a time.
     *
     * <pre>{@code
     * HistoryInvariants.snapshotAtLastEvent("INV-7", snapshot, 12, 12)   // Optional.empty() for a snapshot at version 12
     * }</pre>
     *
     * @param aggregateId the aggregate, for the message
     * @param snapshot its latest snapshot, or null when there is none
     * @param eventCount how many events it has
     * @param lastVersion the version of its last event, 0 when it has none
     * @return the mismatch, or a missing snapshot of an aggregate that has events
     */
    public static Optional<String> snapshotAtLastEvent(String aggregateId, Snapshot<?> snapshot, long eventCount, long lastVersion) {
        if (snapshot == null) {
            return eventCount == 0 ? Optional.empty()
                    : Optional.of("aggregate " + aggregateId + " has " + eventCount + " events but no snapshot");
        }
        return snapshot.version() == lastVersion ? Optional.empty()
                : Optional.of("aggregate " + aggregateId + ": latest snapshot is version " + snapshot.version()
                        + " but the last event is version " + lastVersion);
    }

    /**
     * A command has exactly one final result, re-sent duplicates aside. Failures may come before
     * it: a failed command changed nothing and is not remembered, so a redelivery of it is
     * handled again; nothing may come after a result that is not a failure.
     *
     * @param aggregateId the aggregate the command is for: a command is an aggregate id and a command id
     * @param commandId the command
     * @param kinds the kinds of the results written for it, oldest first, without re-sent duplicates
     * @return "no result", more than one final result, or a result after the final one
     */
    public static Optional<String> oneResult(String aggregateId, String commandId, List<CommandResult.Kind> kinds) {
        String command = "command " + commandId + " for " + aggregateId;
        if (kinds.isEmpty()) {
            return Optional.of(command + " has no result");
        }
        long finals = kinds.stream().filter(kind -> kind != CommandResult.Kind.FAILED).count();
        if (finals > 1) {
            return Optional.of(command + " has " + finals + " results: " + kinds);
        }
        if (finals == 1 && kinds.get(kinds.size() - 1) == CommandResult.Kind.FAILED) {
            return Optional.of(command + " has a result after its final one: " + kinds);
        }
        return Optional.empty();
    }

    /**
     * Which of a command's results counts: its final result, or its last failure when it has only
     * failures.
     *
     * <pre>{@code
     * HistoryInvariants.finalResultIndex(List.of(FAILED, REJECTED))   // 1
     * }</pre>
     *
     * @param kinds the kinds of the results written for it, oldest first, not empty
     * @return the index of the result that counts
     */
    public static int finalResultIndex(List<CommandResult.Kind> kinds) {
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i) != CommandResult.Kind.FAILED) {
                return i;
            }
        }
        return kinds.size() - 1;
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
        return results.get(finalResultIndex(results.stream().map(CommandResult::kind).toList()));
    }

    /**
     * How many events a result says its command wrote: all of an accepted command's events, none
     * for any other kind. A re-sent {@code AlreadyAccepted} announces events written with the
     * original result, not again.
     *
     * <pre>{@code
     * HistoryInvariants.eventsAnnounced(accepted)   // accepted.events().size()
     * }</pre>
     *
     * @param result the command's result
     * @return the number of events that carry its command id because of it
     */
    public static int eventsAnnounced(CommandResult<?, ?> result) {
        return result instanceof CommandResult.Accepted<?, ?> accepted ? accepted.events().size() : 0;
    }

    /**
     * The events written for a command are those its result announces: all of an accepted
     * command's events, none for any other kind.
     *
     * @param result the command's result
     * @param eventsWritten how many events carry the command's id
     * @return the mismatch
     */
    public static Optional<String> eventsMatchResult(CommandResult<?, ?> result, long eventsWritten) {
        return eventsMatchResult(result.aggregateId(), result.commandId(), result.kind(), eventsAnnounced(result), eventsWritten);
    }

    /**
     * The events written for a command are those its result announces, from what is kept of the
     * result: its kind and {@link #eventsAnnounced the events it announces}.
     *
     * <pre>{@code
     * HistoryInvariants.eventsMatchResult("INV-7", "c-1", ACCEPTED, 2, 1)
     * // "command c-1 for INV-7 (ACCEPTED) has 1 events on the events topic, its result says 2"
     * }</pre>
     *
     * @param aggregateId the aggregate the command is for
     * @param commandId the command
     * @param kind the kind of the result that counts
     * @param eventsAnnounced how many events that result announces
     * @param eventsWritten how many events of the aggregate carry the command's id
     * @return the mismatch
     */
    public static Optional<String> eventsMatchResult(String aggregateId, String commandId, CommandResult.Kind kind,
                                                     int eventsAnnounced, long eventsWritten) {
        return eventsAnnounced == eventsWritten ? Optional.empty()
                : Optional.of("command " + commandId + " for " + aggregateId + " (" + kind + ") has " + eventsWritten
                        + " events on the events topic, its result says " + eventsAnnounced);
    }
}
