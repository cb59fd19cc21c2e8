package io.eventfold.testkit;

import io.eventfold.core.Event;
import io.eventfold.core.ProcessManagerEngine;
import io.eventfold.kafka.ProcessManagerType;
import io.eventfold.testkit.internal.ProcessChecks;
import io.eventfold.testkit.internal.ProcessLog;
import io.eventfold.testkit.internal.ProcessOutcome;
import io.eventfold.testkit.internal.ProcessRunner;
import io.eventfold.testkit.internal.PureProcessRunner;
import io.eventfold.testkit.internal.TopologyProcessRunner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One process manager's story in a test: the events it has been given, and the inputs handed to
 * it since. Obtain one from a {@link ProcessManagerFixture}; each {@code when…} hands the manager
 * an input in every runner and returns the {@link ProcessThen} stage for expectations.
 *
 * <pre>{@code
 * fixture.given(created, cardsAdded)
 *        .when(new InvoiceSent())
 *        .thenSends("C-1", new Charge("invoice-1", total));
 * }</pre>
 *
 * @param <E> the source event type
 * @param <S> the manager's state type
 * @param <C> the target command type
 */
public final class ProcessScenario<E, S, C> {

    private final String sourceAggregateId;
    private final List<ProcessRunner<E, S, C>> runners = new ArrayList<>();
    private final PureProcessRunner<E, S, C> pure;
    private final ProcessChecks<E, S, C> checks;
    private final ProcessLog log = new ProcessLog();
    private final Map<String, Long> versions = new HashMap<>();
    private Instant clock;
    private final Instant start;
    private int inputs;

    ProcessScenario(ProcessManagerEngine<E, S, C> engine, ProcessManagerType<E, S, C> type, String sourceAggregateId, Instant start,
                    Set<Check> enabled) {
        this.sourceAggregateId = sourceAggregateId;
        this.start = start;
        this.pure = new PureProcessRunner<>(engine);
        runners.add(pure);
        TopologyProcessRunner<E, S, C> topology = type == null ? null : new TopologyProcessRunner<>(type);
        if (topology != null) {
            runners.add(topology);
        }
        this.checks = new ProcessChecks<>(type, topology == null ? null : topology::lastRecords, enabled);
    }

    void runGiven(E payload) {
        Event<E> event = nextEvent(payload);
        List<ProcessOutcome<S, C>> outcomes = handle(event);
        log.given(event, outcomes.get(0));
        checks.afterInput(event, outcomes, log.render());
    }

    /**
     * Hands the manager the next event of the source aggregate: its version follows the given events'.
     *
     * @param event the event's payload
     * @return the stage for expectations on the manager's reaction
     */
    public ProcessThen<E, S, C> when(E event) {
        Objects.requireNonNull(event, "event must not be null");
        return whenEvent(nextEvent(event));
    }

    /**
     * Hands the manager a full event envelope: of another source aggregate, with a correlation id
     * and metadata, or one it has handled before (a replay, which it passes over).
     *
     * <pre>{@code
     * fixture.given(created)
     *        .whenEvent(new Event<>("invoice-1", 2, "c-7", now, new InvoiceSent(), "order-7", Map.of("user", "alice")))
     *        .thenCommands(commands -> assertThat(commands.get(0).correlationId()).isEqualTo("order-7"));
     * }</pre>
     *
     * @param event the event
     * @return the stage for expectations on the manager's reaction
     */
    public ProcessThen<E, S, C> whenEvent(Event<E> event) {
        Objects.requireNonNull(event, "event must not be null");
        versions.merge(event.aggregateId(), event.version(), Math::max);
        List<ProcessOutcome<S, C>> outcomes = handle(event);
        log.whenEvent(event, outcomes.get(0));
        String story = log.render();
        checks.afterInput(event, outcomes, story);
        return new ProcessThen<>(this, outcomes, story);
    }

    /**
     * Gives the oldest command that awaits a result its result, as the target aggregate answered it.
     *
     * <pre>{@code
     * fixture.given(new InvoiceSent("C-1", total))
     *        .whenResult(Reply.rejected("ACCOUNT_CLOSED", "account C-1 is closed"))
     *        .thenSends("C-1", new Alert("invoice-1", "ACCOUNT_CLOSED"));
     * }</pre>
     *
     * @param reply the result
     * @return the stage for expectations on the manager's reaction
     * @throws FixtureConfigurationException if no command awaits a result
     */
    public ProcessThen<E, S, C> whenResult(Reply reply) {
        Objects.requireNonNull(reply, "reply must not be null");
        List<ProcessRunner.Awaiting<C>> awaiting = pure.awaiting();
        if (awaiting.isEmpty()) {
            throw new FixtureConfigurationException("whenResult(" + reply + "): no command awaits a result; the manager "
                    + "sends commands in reaction to events (given or when) and to results");
        }
        return answer(awaiting.get(0), reply);
    }

    /**
     * Gives the command with this id its result, as the target aggregate answered it.
     *
     * @param commandId the command's id, such as {@code invoice-accounts/invoice/invoice-1/2/0}
     * @param reply the result
     * @return the stage for expectations on the manager's reaction
     * @throws FixtureConfigurationException if that command does not await a result
     */
    public ProcessThen<E, S, C> whenResult(String commandId, Reply reply) {
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(reply, "reply must not be null");
        List<ProcessRunner.Awaiting<C>> awaiting = pure.awaiting();
        return answer(awaiting.stream().filter(one -> one.command().commandId().equals(commandId)).findFirst()
                .orElseThrow(() -> new FixtureConfigurationException("whenResult(\"" + commandId + "\", " + reply
                        + "): no such command awaits a result; awaiting: " + (awaiting.isEmpty() ? "none"
                        : awaiting.stream().map(one -> one.command().commandId()).collect(Collectors.joining(", "))))), reply);
    }

    private ProcessThen<E, S, C> answer(ProcessRunner.Awaiting<C> answered, Reply reply) {
        Instant at = tick();
        List<ProcessRunner.Awaiting<C>> before = pure.awaiting();
        List<ProcessOutcome<S, C>> outcomes = new ArrayList<>();
        for (ProcessRunner<E, S, C> runner : runners) {
            outcomes.add(runner.onResult(answered, reply::decide, at, runner == pure ? before : pure.awaiting()));
        }
        log.whenResult(answered.command(), reply, outcomes.get(0));
        String story = log.render();
        checks.afterInput(null, outcomes, story);
        return new ProcessThen<>(this, outcomes, story);
    }

    private List<ProcessOutcome<S, C>> handle(Event<E> event) {
        Instant at = event.timestamp();
        List<ProcessOutcome<S, C>> outcomes = new ArrayList<>();
        for (ProcessRunner<E, S, C> runner : runners) {
            outcomes.add(runner.onEvent(event, at, pure.awaiting()));
        }
        return outcomes;
    }

    private Event<E> nextEvent(E payload) {
        long version = versions.merge(sourceAggregateId, 1L, Long::sum);
        return new Event<>(sourceAggregateId, version, "command-" + (inputs + 1), tick(), payload);
    }

    /** Inputs come a second apart, from the fixture's start. */
    private Instant tick() {
        clock = clock == null ? start : clock.plusSeconds(1);
        inputs++;
        return clock;
    }
}
