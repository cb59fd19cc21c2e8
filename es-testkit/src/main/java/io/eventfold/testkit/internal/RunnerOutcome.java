package io.eventfold.testkit.internal;

import io.eventfold.core.CommandResult;
import io.eventfold.core.DeadlineChange;
import io.eventfold.core.Event;

import java.util.List;

/**
 * What one runner made of one step of a scenario: a command, or time passing.
 *
 * @param runner "pure" or "topology"
 * @param result the command's result; on a time step the result of the last command fired, or
 *     null when no deadline was due
 * @param events the new events, in order; on a time step those of every command fired
 * @param state the aggregate's state after the step
 * @param version the aggregate's version after the step
 * @param duplicate whether the result was re-sent for a command id handled before
 * @param deadlines the deadline changes the step's decisions made, in order
 * @param fired on a time step, the commands the due deadlines fired, in the order they fired
 * @param timeStep whether the step was time passing rather than a command
 */
public record RunnerOutcome<E, S>(String runner, CommandResult<E, S> result, List<Event<E>> events, S state,
                                  long version, boolean duplicate, List<DeadlineChange> deadlines, List<Fired<E, S>> fired,
                                  boolean timeStep) {

    public RunnerOutcome {
        events = List.copyOf(events);
        deadlines = List.copyOf(deadlines);
        fired = List.copyOf(fired);
    }

    /** The outcome of a command. */
    public RunnerOutcome(String runner, CommandResult<E, S> result, List<Event<E>> events, S state, long version,
                         boolean duplicate, List<DeadlineChange> deadlines) {
        this(runner, result, events, state, version, duplicate, deadlines, List.of(), false);
    }

    /** The outcome of a command that changed no deadline. */
    public RunnerOutcome(String runner, CommandResult<E, S> result, List<Event<E>> events, S state, long version,
                         boolean duplicate) {
        this(runner, result, events, state, version, duplicate, List.of());
    }

    /** The outcome of time passing: every command fired, and the aggregate after the last. */
    public static <E, S> RunnerOutcome<E, S> ofTime(String runner, List<Fired<E, S>> fired, S state, long version) {
        List<Event<E>> events = fired.stream().flatMap(one -> one.events().stream()).toList();
        List<DeadlineChange> deadlines = fired.stream().flatMap(one -> one.deadlines().stream()).toList();
        CommandResult<E, S> last = fired.isEmpty() ? null : fired.get(fired.size() - 1).result();
        return new RunnerOutcome<>(runner, last, events, state, version, false, deadlines, fired, true);
    }

    public List<E> payloads() {
        return events.stream().map(Event::payload).toList();
    }

    /** The results the step's expectations on results apply to: the command's, or every fired command's. */
    public List<CommandResult<E, S>> results() {
        return timeStep ? fired.stream().map(Fired::result).toList() : List.of(result);
    }

    /** The payloads of the commands fired, in order. */
    public List<Object> firedPayloads() {
        return fired.stream().<Object>map(one -> one.command().payload()).toList();
    }
}
