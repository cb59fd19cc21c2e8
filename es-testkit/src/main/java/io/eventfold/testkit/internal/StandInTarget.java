package io.eventfold.testkit.internal;

import io.eventfold.core.Aggregate;
import io.eventfold.core.Command;
import io.eventfold.core.CommandEngine;
import io.eventfold.core.Decision;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Snapshot;
import io.eventfold.kafka.SnapshotsRebuildingException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Stands in for the target aggregate of a process manager under test, on both runners: it
 * answers a command as the scenario says ({@link #answer}), and until then refuses it as a
 * partition that rebuilds its snapshots would, a refusal the manager never sees: it sends the
 * command again a second later. Its state is the aggregate's id (it records no events), so that
 * it can tell whom a command is for; its version is the one the command expects.
 *
 * @param <C> the target's command type
 */
public final class StandInTarget<C> implements Aggregate<C, Object, String> {

    /** The refusal's message, in the topology's logs and results. */
    static final String HELD = "held by the test kit until the test gives the command's result";

    private final Map<List<Object>, Deque<Supplier<Decision<Object>>>> answers = new HashMap<>();
    private final CommandEngine<C, Object, String> engine = CommandEngine.of(this);

    /** The answer to the next command for {@code aggregateId} with this payload. */
    public void answer(String aggregateId, Object payload, Supplier<Decision<Object>> decision) {
        answers.computeIfAbsent(List.of(aggregateId, payload), key -> new ArrayDeque<>()).add(decision);
    }

    /** The snapshot a command meets: at the version it expects, so that only the scenario decides its result. */
    public static Snapshot<String> snapshotFor(Command<?> command) {
        ExpectedVersion expected = command.expectedVersion();
        long version = expected instanceof ExpectedVersion.Exactly exactly ? exactly.version() : 0;
        return new Snapshot<>(command.aggregateId(), version, command.aggregateId());
    }

    /** The engine the pure runner answers with; the topology runner's stand-in type has its own, of the same aggregate. */
    public CommandEngine<C, Object, String> engine() {
        return engine;
    }

    @Override
    public String initialState() {
        return "";
    }

    @Override
    public Decision<Object> decide(C command, String aggregateId) {
        Deque<Supplier<Decision<Object>>> waiting = answers.get(List.of(aggregateId, command));
        if (waiting == null || waiting.isEmpty()) {
            throw new SnapshotsRebuildingException(HELD);
        }
        return waiting.poll().get();
    }

    @Override
    public String evolve(String state, Object event) {
        return state;
    }
}
