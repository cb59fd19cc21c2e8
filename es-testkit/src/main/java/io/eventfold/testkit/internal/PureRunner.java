package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.CommandEngine;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Outcome;
import io.eventfold.core.Snapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs commands through the {@link CommandEngine} alone. It remembers each command's
 * {@link CommandResult#redeliveryAnswer() redelivery answer} the way the topology does, so a
 * redelivered command gets the same answer from both runners, and keeps the aggregate's
 * deadlines in a {@link DeadlineBook}.
 */
public final class PureRunner<C, E, S> implements Runner<C, E, S> {

    private final CommandEngine<C, E, S> engine;
    private final Map<String, CommandResult<E, S>> handled = new HashMap<>();
    private final DeadlineBook deadlines = new DeadlineBook();
    private Snapshot<S> snapshot;

    public PureRunner(CommandEngine<C, E, S> engine) {
        this.engine = engine;
    }

    @Override
    public String name() {
        return "pure";
    }

    @Override
    public void start(Snapshot<S> initial) {
        this.snapshot = initial;
    }

    /** The deadlines waiting to fire, in firing order. */
    public List<DeadlineBook.Scheduled> pendingDeadlines() {
        return deadlines.pending();
    }

    @Override
    public RunnerOutcome<E, S> handle(Command<C> command, Instant at) {
        CommandResult<E, S> earlier = handled.get(command.commandId());
        if (earlier != null) {
            return new RunnerOutcome<>(name(), earlier, List.of(), snapshot.state(), snapshot.version(), true);
        }
        Outcome<E, S> outcome = engine.handle(snapshot, command, at);
        outcome.result().redeliveryAnswer().ifPresent(answer -> handled.put(command.commandId(), answer));
        snapshot = outcome.snapshot();
        deadlines.apply(command.aggregateId(), outcome);
        return new RunnerOutcome<>(name(), outcome.result(), outcome.events(), snapshot.state(), snapshot.version(), false,
                outcome.deadlines());
    }

    @Override
    @SuppressWarnings("unchecked")
    public RunnerOutcome<E, S> advanceTo(Instant now) {
        List<Fired<E, S>> fired = new ArrayList<>();
        for (DeadlineBook.Scheduled due : deadlines.takeDueBy(now)) {
            Command<C> command = (Command<C>) due.command();
            RunnerOutcome<E, S> outcome = handle(command, now);
            // As on Kafka: nobody asked for the state in a fired command's result.
            fired.add(new Fired<>(due.deadlineId(), command, outcome.result().withoutState(), outcome.events(), outcome.deadlines()));
        }
        return RunnerOutcome.ofTime(name(), fired, snapshot.state(), snapshot.version());
    }
}
