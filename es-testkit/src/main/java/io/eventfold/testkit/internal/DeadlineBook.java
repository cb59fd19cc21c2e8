package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.DeadlineChange;
import io.eventfold.core.Event;
import io.eventfold.core.Outcome;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pure runner's model of an aggregate's deadlines: at most one per id, replaced when
 * scheduled again, removed when cancelled or fired. Due times count in milliseconds and ties fire
 * in deadline id order, as in the topology's deadline store.
 */
public final class DeadlineBook {

    /** Firing order: due time to the millisecond, then deadline id. */
    private static final Comparator<Scheduled> FIRING_ORDER = Comparator
            .<Scheduled>comparingLong(scheduled -> millis(scheduled.dueAt()))
            .thenComparing(Scheduled::deadlineId);

    private final Map<String, Scheduled> byId = new LinkedHashMap<>();

    /**
     * One deadline waiting to fire.
     *
     * @param command the command it will send, with its id, correlation id and metadata
     */
    public record Scheduled(String deadlineId, Instant dueAt, Command<?> command) {
    }

    /** Applies the deadline changes of a command's outcome, in order. */
    public void apply(String aggregateId, Outcome<?, ?> outcome) {
        if (outcome.deadlines().isEmpty()) {
            return;
        }
        // The fired command continues the chain of the decision's events (they all carry the same provenance).
        Event<?> last = outcome.events().get(outcome.events().size() - 1);
        long version = outcome.snapshot().version();
        for (DeadlineChange change : outcome.deadlines()) {
            if (change instanceof DeadlineChange.Schedule schedule) {
                Command<Object> command = schedule.toCommand(aggregateId, version, last.correlationId(), last.metadata());
                byId.put(schedule.deadlineId(), new Scheduled(schedule.deadlineId(), schedule.dueAt(), command));
            } else {
                byId.remove(change.deadlineId());
            }
        }
    }

    /** Removes and returns the deadlines due at {@code now}, in firing order. */
    public List<Scheduled> takeDueBy(Instant now) {
        List<Scheduled> due = pending().stream().filter(scheduled -> millis(scheduled.dueAt()) <= now.toEpochMilli()).toList();
        due.forEach(scheduled -> byId.remove(scheduled.deadlineId()));
        return due;
    }

    /** A due time in epoch milliseconds: DeadlineChange.Schedule holds it within what a long counts. */
    private static long millis(Instant dueAt) {
        return dueAt.toEpochMilli();
    }

    /** The deadlines waiting to fire, in firing order. */
    public List<Scheduled> pending() {
        List<Scheduled> pending = new ArrayList<>(byId.values());
        pending.sort(FIRING_ORDER);
        return pending;
    }
}
