package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.DeadlineChange;
import io.eventfold.core.Event;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** How values and results read in failure messages. */
public final class Render {

    private Render() {
    }

    public static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String text) {
            return "\"" + text + "\"";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString();
    }

    /** One line saying what became of a command. */
    public static String result(CommandResult<?, ?> result) {
        if (result instanceof CommandResult.Accepted<?, ?> accepted) {
            int count = accepted.events().size();
            return "accepted at version " + accepted.version() + " with " + count + (count == 1 ? " event" : " events");
        }
        if (result instanceof CommandResult.AlreadyAccepted<?, ?> earlier) {
            return "already accepted at version " + earlier.version() + " with " + earlier.eventCount()
                    + (earlier.eventCount() == 1 ? " event" : " events") + " (a redelivery, answered from memory)";
        }
        if (result instanceof CommandResult.Rejected<?, ?> rejected) {
            return "rejected " + rejected.rejection().code() + ": " + rejected.rejection().message();
        }
        if (result instanceof CommandResult.Conflict<?, ?> conflict) {
            return "conflict: expected version " + conflict.expected() + " but the aggregate is at version " + conflict.version();
        }
        CommandResult.Failed<?, ?> failed = (CommandResult.Failed<?, ?>) result;
        return "failed " + failed.errorType() + (failed.message().isEmpty() ? "" : ": " + failed.message());
    }

    /** The command as the scenario shows it; its correlation id and metadata only when it has some. */
    public static String command(Command<?> command) {
        return command.payload() + " (expected version " + command.expectedVersion() + ", command id " + command.commandId()
                + (command.correlationId() == null ? "" : ", correlation id " + command.correlationId())
                + (command.metadata().isEmpty() ? "" : ", metadata " + metadata(command.metadata())) + ")";
    }

    /** Metadata sorted by key, so that the same metadata always reads the same. */
    public static Map<String, String> metadata(Map<String, String> metadata) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
    }

    /**
     * An event as the runners' comparison shows it: its payload, and its correlation id and
     * metadata when it has some, so that events differing only in those do not look alike.
     */
    public static String event(Event<?> event) {
        return value(event.payload())
                + (event.correlationId().equals(event.commandId()) ? "" : " correlation id " + event.correlationId())
                + (event.metadata().isEmpty() ? "" : " metadata " + metadata(event.metadata()));
    }

    /** A deadline change as the scenario shows it: {@code schedule overdue at 2026-12-22T00:00:00Z: MarkOverdue[]}. */
    public static String deadlineChange(DeadlineChange change) {
        if (change instanceof DeadlineChange.Schedule schedule) {
            return "schedule " + schedule.deadlineId() + " at " + schedule.dueAt() + ": " + value(schedule.command());
        }
        return "cancel " + change.deadlineId();
    }

    /** A deadline waiting to fire: {@code overdue at 2026-12-22T00:00:00Z: MarkOverdue[]}. */
    public static String scheduled(DeadlineBook.Scheduled scheduled) {
        return scheduled.deadlineId() + " at " + scheduled.dueAt() + ": " + value(scheduled.command().payload());
    }

    /** A deadline that fired and what became of its command. */
    public static String fired(Fired<?, ?> fired) {
        return fired.deadlineId() + ": " + value(fired.command().payload()) + " (command id " + fired.command().commandId()
                + ") → " + result(fired.result());
    }
}
