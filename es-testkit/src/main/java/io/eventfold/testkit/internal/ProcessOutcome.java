package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ProcessState;

import java.util.List;

/**
 * What one runner made of one input of a process manager: an event, or the result of a command it sent.
 *
 * @param runner "pure" or "topology"
 * @param sent the commands the manager sent, with their ids, in order
 * @param state the manager's position for the source aggregate after the input
 * @param replayed whether the input was an event handled before, passed over
 * @param errorType the class name of what the manager threw, or null
 * @param message what the manager threw, or null
 * @param result the result given to the manager, or null for an event
 */
public record ProcessOutcome<S, C>(String runner, List<Command<C>> sent, ProcessState<S> state, boolean replayed,
                                   String errorType, String message, CommandResult<?, ?> result) {

    public ProcessOutcome {
        sent = List.copyOf(sent);
    }

    public boolean failed() {
        return errorType != null;
    }
}
