package io.eventfold.testkit.internal;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Decision;
import io.eventfold.core.Event;
import io.eventfold.core.ProcessManagerEngine;
import io.eventfold.core.ProcessState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a process manager through the {@link ProcessManagerEngine} alone, keeping its position
 * per source aggregate and the commands that await a result, as the topology's stores do.
 */
public final class PureProcessRunner<E, S, C> implements ProcessRunner<E, S, C> {

    private final ProcessManagerEngine<E, S, C> engine;
    private final StandInTarget<C> target = new StandInTarget<>();
    private final Map<String, ProcessState<S>> positions = new HashMap<>();
    private final Map<String, Awaiting<C>> awaiting = new LinkedHashMap<>();

    public PureProcessRunner(ProcessManagerEngine<E, S, C> engine) {
        this.engine = engine;
    }

    @Override
    public String name() {
        return "pure";
    }

    /** The commands awaiting a result, oldest first. */
    public List<Awaiting<C>> awaiting() {
        return new ArrayList<>(awaiting.values());
    }

    /** The manager's position for a source aggregate. */
    public ProcessState<S> position(String sourceAggregateId) {
        return positions.getOrDefault(sourceAggregateId, engine.initial());
    }

    @Override
    public ProcessOutcome<S, C> onEvent(Event<E> event, Instant at, List<Awaiting<C>> ignored) {
        ProcessManagerEngine.Step<S, C> step = engine.onEvent(position(event.aggregateId()), event);
        return apply(event.aggregateId(), step, null);
    }

    @Override
    public ProcessOutcome<S, C> onResult(Awaiting<C> answered, Supplier<Decision<Object>> decision, Instant at,
                                         List<Awaiting<C>> ignored) {
        awaiting.remove(answered.command().commandId());
        target.answer(answered.command().aggregateId(), answered.command().payload(), decision);
        CommandResult<Object, String> result = target.engine()
                .handle(StandInTarget.snapshotFor(answered.command()), answered.command(), at).result()
                // As on Kafka: a manager's commands do not ask for the state in their results.
                .withoutState();
        String source = answered.sourceAggregateId();
        return apply(source, engine.onResult(position(source), source, answered.command(), result), result);
    }

    private ProcessOutcome<S, C> apply(String source, ProcessManagerEngine.Step<S, C> step, CommandResult<?, ?> result) {
        positions.put(source, step.state());
        step.commands().forEach(command -> awaiting.put(command.commandId(), new Awaiting<>(source, command)));
        return new ProcessOutcome<>(name(), step.commands(), step.state(), step.replayed(), step.errorType(), step.message(), result);
    }
}
