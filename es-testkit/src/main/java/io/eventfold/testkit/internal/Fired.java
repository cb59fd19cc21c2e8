package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.DeadlineChange;
import io.eventfold.core.Event;

import java.util.List;

/**
 * One deadline that fired when time passed, and what its command did.
 *
 * @param deadlineId the deadline
 * @param command the command it sent, as the aggregate received it
 * @param result the command's result
 * @param events the command's new events
 * @param deadlines the deadline changes the command's decision made
 */
public record Fired<E, S>(String deadlineId, Command<?> command, CommandResult<E, S> result, List<Event<E>> events,
                          List<DeadlineChange> deadlines) {

    public Fired {
        events = List.copyOf(events);
        deadlines = List.copyOf(deadlines);
    }
}
