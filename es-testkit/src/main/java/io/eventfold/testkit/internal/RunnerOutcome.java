package io.eventfold.testkit.internal;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;

import java.util.List;

/**
 * What one runner made of one command.
 *
 * @param runner "pure" or "topology"
 * @param result the command's result
 * @param events the new events, in order
 * @param state the aggregate's state after the command
 * @param version the aggregate's version after the command
 * @param duplicate whether the result was re-sent for a command id handled before
 */
public record RunnerOutcome<E, S>(String runner, CommandResult<E, S> result, List<Event<E>> events, S state,
                                  long version, boolean duplicate) {

    public RunnerOutcome {
        events = List.copyOf(events);
    }

    public List<E> payloads() {
        return events.stream().map(Event::payload).toList();
    }
}
