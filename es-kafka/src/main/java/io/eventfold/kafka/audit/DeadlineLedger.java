package io.eventfold.kafka.audit;

import io.eventfold.core.DeadlineChange;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.internal.RecordPosition;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the commands and events of one partition number say about the deadlines of its
 * aggregates: the commands fired (records of the commands topic with the
 * {@link EventfoldHeaders#DEADLINE} header), told first, then the changes each decision made
 * (the {@link EventfoldHeaders#DEADLINES} header of its last event record), in event order.
 *
 * <p>A deadline scheduled at version {@code v} of aggregate {@code a} fires the command
 * {@code DeadlineChange.Schedule.commandId(a, id, v)}. The rules:
 * <ul>
 *   <li>A deadline's command is on the commands topic at most once: a second record of it is a
 *       second firing. (That it is handled once is the command's business, checked with every
 *       other command: one final result, its events once.)</li>
 *   <li>A fired command names a deadline some event of its aggregate scheduled. Only records the
 *       application had handled when the audit took its first mark are held to it: the
 *       scheduling event of a later one may lie beyond the events' end.</li>
 *   <li>The last deadline of each id, neither replaced nor cancelled by a later decision, has
 *       fired once it is due (and was recorded) before {@code dueBy}. One replaced or cancelled
 *       may have fired or not: a cancel decided after the firing does not recall the command,
 *       and the logs do not tell which came first.</li>
 *   <li>When the commands partition has lost its oldest records, a deadline due before the
 *       oldest record held may have fired into what was deleted: counted as outside the window.</li>
 * </ul>
 *
 * <p>Memory: the fired commands held by the commands partition (its retention bounds them), and
 * the last deadline of each id of each aggregate of the partition.
 */
final class DeadlineLedger {

    private final String commandsTopic;
    private final int partition;
    private final Violations violations;
    private final Map<String, Fired> fired = new HashMap<>();
    private final Map<Key, Scheduled> current = new HashMap<>();
    private long scheduled;
    private long cancelled;

    DeadlineLedger(String commandsTopic, int partition, Violations violations) {
        this.commandsTopic = commandsTopic;
        this.partition = partition;
        this.violations = violations;
    }

    /**
     * A fired command on this commands partition, in offset order.
     *
     * @param handled whether it lies before the application's position the audit took first, so
     *     that its scheduling event is within the events read
     */
    void fired(String aggregateId, String commandId, String deadlineId, long offset, boolean handled) {
        Fired entry = fired.computeIfAbsent(commandId, id -> new Fired(aggregateId, deadlineId, offset));
        entry.records++;
        if (entry.records == 2) {
            entry.secondOffset = offset;
        }
        entry.mustMatch |= handled;
    }

    /**
     * The deadline changes of an event record of this partition, in event order.
     *
     * @param version the record's version: the version a deadline it schedules fires its command with
     * @param recordedMillis the record's timestamp
     * @param pending whether the record's command was not handled when the audit took its first
     *     mark: what it schedules is not held to having fired
     */
    void changes(String aggregateId, long version, long recordedMillis, List<EventfoldHeaders.DeadlineNote> notes,
                 boolean pending) {
        for (EventfoldHeaders.DeadlineNote note : notes) {
            Key key = new Key(aggregateId, note.deadlineId());
            if (note.cancelled()) {
                cancelled++;
                current.remove(key);
                continue;
            }
            scheduled++;
            String commandId = DeadlineChange.Schedule.commandId(aggregateId, note.deadlineId(), version);
            Fired firing = fired.get(commandId);
            if (firing != null) {
                firing.scheduled = true;
            }
            current.put(key, new Scheduled(commandId, version, note.dueAt(), recordedMillis, pending));
        }
    }

    /**
     * Checks the partition's deadlines and adds the counts.
     *
     * @param dueBy a deadline due, and recorded, before this instant must have fired
     * @param heldFromMillis the timestamp of the oldest record the commands partition holds when it
     *     lost records, or {@code Long.MIN_VALUE} when it holds them all
     */
    void finish(AuditTally tally, Instant dueBy, long heldFromMillis) {
        fired.forEach((commandId, firing) -> {
            if (firing.records > 1) {
                violations.add("deadline " + Violations.id(firing.deadlineId) + " of " + Violations.id(firing.aggregateId)
                        + " fired " + firing.records + " times: its command " + Violations.id(commandId) + " is on "
                        + position(firing.firstOffset) + " and " + position(firing.secondOffset));
            }
            if (firing.mustMatch && !firing.scheduled) {
                violations.add("command " + Violations.id(commandId) + " on " + position(firing.firstOffset) + " fires deadline "
                        + Violations.id(firing.deadlineId) + " of " + Violations.id(firing.aggregateId)
                        + ", which no event of " + Violations.id(firing.aggregateId) + " scheduled");
            }
        });
        current.forEach((key, deadline) -> {
            if (fired.containsKey(deadline.commandId)) {
                return;
            }
            long due = Math.max(deadline.dueAt.toEpochMilli(), deadline.recordedMillis);
            if (deadline.pending || due >= dueBy.toEpochMilli()) {
                tally.deadlinesWaiting++;
            } else if (deadline.dueAt.toEpochMilli() < heldFromMillis) {
                tally.deadlinesOutsideWindow++;
            } else {
                violations.add("deadline " + Violations.id(key.deadlineId()) + " of " + Violations.id(key.aggregateId())
                        + " scheduled at version " + deadline.version + " was due at " + deadline.dueAt + " but never fired: its command "
                        + Violations.id(deadline.commandId) + " is not on " + commandsTopic);
            }
        });
        tally.deadlinesScheduled += scheduled;
        tally.deadlinesCancelled += cancelled;
        tally.deadlinesFired += fired.size();
    }

    private String position(long offset) {
        return new RecordPosition(commandsTopic, partition, offset).toString();
    }

    /** An aggregate's deadline. */
    private record Key(String aggregateId, String deadlineId) {
    }

    /** The last schedule of a deadline: the command it fires, when it is due, when the schedule was recorded. */
    private record Scheduled(String commandId, long version, Instant dueAt, long recordedMillis, boolean pending) {
    }

    /** What is kept of a fired command. */
    private static final class Fired {
        final String aggregateId;
        final String deadlineId;
        final long firstOffset;
        long secondOffset;
        int records;
        boolean mustMatch;
        boolean scheduled;

        Fired(String aggregateId, String deadlineId, long firstOffset) {
            this.aggregateId = aggregateId;
            this.deadlineId = deadlineId;
            this.firstOffset = firstOffset;
        }
    }
}
