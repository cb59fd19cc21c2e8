package io.eventfold.testkit;

import io.eventfold.kafka.AggregateType;
import io.eventfold.core.Command;
import io.eventfold.core.CommandEngine;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Snapshot;
import io.eventfold.testkit.internal.PureRunner;
import io.eventfold.testkit.internal.Render;
import io.eventfold.testkit.internal.Runner;
import io.eventfold.testkit.internal.RunnerOutcome;
import io.eventfold.testkit.internal.ScenarioChecks;
import io.eventfold.testkit.internal.ScenarioLog;
import io.eventfold.testkit.internal.TopologyRunner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One aggregate's story in a test: what it has been given, and the commands sent to it so far.
 * Obtain one from an {@link AggregateFixture}'s {@code given…} methods; each {@code when…}
 * handles a command in every runner and returns the {@link Then} stage for its expectations.
 *
 * <pre>{@code
 * Scenario<InvoiceCommand, InvoiceEvent, Invoice> draft = fixture.given(created);
 * draft.when(new AddLineItem(cards)).thenEvents(new LineItemAdded(cards));
 * }</pre>
 *
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public final class Scenario<C, E, S> {

    private final CommandEngine<C, E, S> engine;
    private final String aggregateId;
    private final Instant start;
    private final List<Runner<C, E, S>> runners = new ArrayList<>();
    private final ScenarioChecks<C, E, S> checks;
    private final ScenarioLog log = new ScenarioLog();
    private final Map<String, List<E>> histories = new LinkedHashMap<>();
    private boolean startedFromState;
    private final Set<String> usedCommandIds = new java.util.HashSet<>();
    private Command<C> lastCommand;
    private int commandCount;
    private final PureRunner<C, E, S> pure;
    /** The time of the last step, or null before the first: commands come a second apart unless time is advanced. */
    private Instant clock;
    private boolean lastStepWasTime;
    /** What the next commands carry, as {@link #withMetadata} and {@link #withCorrelationId} set it. */
    private Map<String, String> metadata;
    private String correlationId;

    Scenario(CommandEngine<C, E, S> engine, AggregateType<C, E, S> type, String aggregateId, Instant start, Set<Check> enabled,
             Map<String, String> metadata, String correlationId) {
        this.engine = engine;
        this.aggregateId = aggregateId;
        this.start = start;
        this.metadata = metadata;
        this.correlationId = correlationId;
        this.pure = new PureRunner<>(engine);
        runners.add(pure);
        TopologyRunner<C, E, S> topology = type == null ? null : new TopologyRunner<>(type);
        if (topology != null) {
            runners.add(topology);
        }
        this.checks = new ScenarioChecks<>(engine.aggregate(), engine.metadataPolicy(), type,
                topology == null ? null : topology::lastRecords, enabled);
    }

    Scenario<C, E, S> startWithEvents(List<E> events) {
        S state = engine.aggregate().initialState();
        for (int i = 0; i < events.size(); i++) {
            E event = Objects.requireNonNull(events.get(i), "given event #" + (i + 1) + " must not be null");
            try {
                state = engine.aggregate().evolve(state, event);
            } catch (RuntimeException e) {
                throw new FixtureConfigurationException("given event #" + (i + 1) + " " + event
                        + " cannot be applied: evolve threw " + e, e);
            }
            if (state == null) {
                throw new FixtureConfigurationException("given event #" + (i + 1) + " " + event + " cannot be applied: evolve returned null");
            }
            log.givenEvent(event);
        }
        start(new Snapshot<>(aggregateId, events.size(), state));
        runners.forEach(runner -> histories.put(runner.name(), new ArrayList<>(events)));
        return this;
    }

    Scenario<C, E, S> startWithState(S state, long version) {
        startedFromState = true;
        log.givenState(state, version);
        start(new Snapshot<>(aggregateId, version, state));
        runners.forEach(runner -> histories.put(runner.name(), new ArrayList<>()));
        return this;
    }

    private void start(Snapshot<S> snapshot) {
        runners.forEach(runner -> runner.start(snapshot));
    }

    void runGivenCommand(C payload) {
        Command<C> command = newCommand(payload, ExpectedVersion.any(), metadata);
        usedCommandIds.add(command.commandId());
        List<RunnerOutcome<E, S>> outcomes = handle(command);
        for (RunnerOutcome<E, S> outcome : outcomes) {
            if (!(outcome.result() instanceof CommandResult.Accepted)) {
                throw new FixtureConfigurationException("given command " + payload + " was not accepted by the "
                        + outcome.runner() + " runner: " + Render.result(outcome.result())
                        + "; givenCommands(…) takes only commands that succeed, use when(…) to test the others");
            }
        }
        log.givenCommand(command, outcomes.get(0).result(), outcomes.get(0).deadlines());
    }

    /**
     * Handles a command with no version expectation.
     *
     * @param command the command's payload
     * @return the stage for expectations on its outcome
     */
    public Then<C, E, S> when(C command) {
        return when(command, ExpectedVersion.any());
    }

    /**
     * Handles a command that expects the aggregate at a version.
     *
     * @param command the command's payload
     * @param expectedVersion the version expectation
     * @return the stage for expectations on its outcome
     */
    public Then<C, E, S> when(C command, ExpectedVersion expectedVersion) {
        Objects.requireNonNull(command, "command must not be null");
        Objects.requireNonNull(expectedVersion, "expectedVersion must not be null");
        return run(newCommand(command, expectedVersion, metadata));
    }

    /**
     * Handles a command with this metadata instead of the scenario's (see {@link #withMetadata}),
     * with no version expectation. Its events carry what the aggregate type's
     * {@link io.eventfold.core.MetadataPolicy} keeps of it.
     *
     * <pre>{@code
     * fixture.given(created)
     *        .when(new SendInvoice(), Map.of("user", "alice"))
     *        .thenEventMetadata(Map.of("user", "alice"));
     * }</pre>
     *
     * @param command the command's payload
     * @param metadata the command's metadata; not checked against the {@link io.eventfold.core.CommandMetadata}
     *     limits here, so that a test can expect the {@code Failed} result of metadata beyond them
     * @return the stage for expectations on its outcome
     */
    public Then<C, E, S> when(C command, Map<String, String> metadata) {
        Objects.requireNonNull(command, "command must not be null");
        return run(newCommand(command, ExpectedVersion.any(), copyOf(metadata)));
    }

    /**
     * Sets the metadata of the commands this scenario sends from now on (by {@code when}), until
     * set again; {@code Map.of()} sends none. The default is the fixture's
     * ({@link AggregateFixture#withMetadata}), or none. {@link #whenCommand} sends its envelope as it is.
     *
     * <pre>{@code
     * fixture.givenNothing()
     *        .withMetadata(Map.of("user", "alice", "tenant", "acme"))
     *        .when(new CreateInvoice(customer, issued, due, "EUR"))
     *        .thenEventMetadata(Map.of("user", "alice", "tenant", "acme"));
     * }</pre>
     *
     * @param metadata the metadata, not {@code null}; not checked against the {@link io.eventfold.core.CommandMetadata}
     *     limits here, so that a test can expect the {@code Failed} result of metadata beyond them
     * @return this scenario
     */
    public Scenario<C, E, S> withMetadata(Map<String, String> metadata) {
        this.metadata = copyOf(metadata);
        return this;
    }

    /**
     * Makes the commands this scenario sends from now on (by {@code when}) continue a chain: their
     * events carry this correlation id instead of their own command id. {@code null} makes
     * each command start a chain of its own again, the default unless the fixture sets one
     * ({@link AggregateFixture#withCorrelationId}).
     *
     * <pre>{@code
     * fixture.given(created)
     *        .withCorrelationId("order-7")
     *        .when(new SendInvoice())
     *        .thenCorrelationId("order-7");
     * }</pre>
     *
     * @param correlationId the chain's correlation id, not blank; or {@code null}
     * @return this scenario
     */
    public Scenario<C, E, S> withCorrelationId(String correlationId) {
        this.correlationId = checkCorrelationId(correlationId);
        return this;
    }

    /** An unmodifiable copy, with the nulls a {@link Command} refuses named now rather than at the next {@code when}. */
    static Map<String, String> copyOf(Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata must not be null");
        metadata.forEach((key, value) -> {
            Objects.requireNonNull(key, "a metadata key must not be null");
            Objects.requireNonNull(value, () -> "metadata[" + key + "] must not be null");
        });
        return Map.copyOf(metadata);
    }

    static String checkCorrelationId(String correlationId) {
        if (correlationId != null && correlationId.isBlank()) {
            throw new FixtureConfigurationException("a correlation id must not be blank: use null for commands that start their own chain");
        }
        return correlationId;
    }

    /**
     * Handles a full command envelope, for instance to choose its command id, metadata or correlation
     * id; the scenario's metadata and correlation id do not apply to it.
     *
     * @param command the command, for this scenario's aggregate
     * @return the stage for expectations on its outcome
     * @throws FixtureConfigurationException if the command is for another aggregate
     */
    public Then<C, E, S> whenCommand(Command<C> command) {
        Objects.requireNonNull(command, "command must not be null");
        if (!command.aggregateId().equals(aggregateId)) {
            throw new FixtureConfigurationException("the command is for aggregate '" + command.aggregateId()
                    + "' but this scenario's aggregate is '" + aggregateId + "': use AggregateFixture.withAggregateId");
        }
        commandCount++;
        return run(command);
    }

    /**
     * Lets time pass until {@code time}: every deadline due by then fires, at {@code time}, and its
     * command is handled like any other; expect them with {@link Then#thenFired}. Each call fires
     * the deadlines due once, as the topology's timer does at a tick: a deadline that a fired
     * command schedules for a time already past fires at the next call, which must then let time
     * move on by at least a millisecond. The next command is handled a second after {@code time}.
     *
     * <pre>{@code
     * fixture.givenCommands(create, addCards, new SendInvoice())      // schedules "overdue" at DUE_DATE
     *        .whenTimeAdvancesTo(DUE_DATE)
     *        .thenFired(new MarkOverdue())
     *        .thenEvents(new InvoiceOverdue());
     * }</pre>
     *
     * @param time the new time: not before the last step's, and in whole milliseconds, as Kafka's clock counts
     * @return the stage for expectations on what fired
     * @throws FixtureConfigurationException if the time goes back, stays where the last time step left it,
     *     or has a part finer than a millisecond
     */
    public Then<C, E, S> whenTimeAdvancesTo(Instant time) {
        Objects.requireNonNull(time, "time must not be null");
        Instant now = clock == null ? start : clock;
        if (time.isBefore(now)) {
            throw new FixtureConfigurationException("time cannot go back: whenTimeAdvancesTo(" + time + ") but the scenario's clock is at "
                    + now + (clock == null ? " (AggregateFixture.startingAt)" : " (the last step)"));
        }
        if (time.equals(clock) && lastStepWasTime) {
            throw new FixtureConfigurationException("whenTimeAdvancesTo(" + time + "): the clock is already there, since the last "
                    + "step let time pass to it; let it move on by at least a millisecond, as the deadline timer fires at its next tick");
        }
        if (time.getNano() % 1_000_000 != 0) {
            throw new FixtureConfigurationException("whenTimeAdvancesTo(" + time + ") has a part finer than a millisecond: "
                    + "Kafka's clock, and so the deadlines' timer, counts whole milliseconds");
        }
        clock = time;
        lastStepWasTime = true;
        List<RunnerOutcome<E, S>> outcomes = new ArrayList<>();
        for (Runner<C, E, S> runner : runners) {
            RunnerOutcome<E, S> outcome = runner.advanceTo(time);
            outcomes.add(outcome);
            histories.get(runner.name()).addAll(outcome.payloads());
        }
        List<io.eventfold.testkit.internal.Fired<?, ?>> fired = new ArrayList<>(outcomes.get(0).fired());
        log.whenTime(time, fired);
        String scenario = log.render();
        checks.afterTimeStep(aggregateId, time, outcomes, histories, startedFromState, scenario);
        if (!fired.isEmpty()) {
            @SuppressWarnings("unchecked")
            Command<C> last = (Command<C>) fired.get(fired.size() - 1).command();
            lastCommand = last;
            usedCommandIds.add(last.commandId());
        }
        return new Then<>(this, outcomes, scenario, pure.pendingDeadlines());
    }

    /**
     * Lets time pass by {@code duration} from the last step (from the fixture's
     * {@linkplain AggregateFixture#startingAt start} before the first), as {@link #whenTimeAdvancesTo}.
     *
     * <pre>{@code
     * fixture.givenCommands(create, addCards, new SendInvoice())
     *        .whenTimeAdvancesBy(Duration.ofDays(31))
     *        .thenFired(new MarkOverdue());
     * }</pre>
     *
     * @param duration how much time passes, not negative
     * @return the stage for expectations on what fired
     * @throws FixtureConfigurationException if the duration is negative or finer than a millisecond
     */
    public Then<C, E, S> whenTimeAdvancesBy(Duration duration) {
        Objects.requireNonNull(duration, "duration must not be null");
        if (duration.isNegative()) {
            throw new FixtureConfigurationException("time cannot go back: whenTimeAdvancesBy(" + duration + ")");
        }
        return whenTimeAdvancesTo((clock == null ? start : clock).plus(duration));
    }

    /**
     * Sends the last command again with the same command id, as a client retrying after a
     * timeout would. Expect its first result's {@link io.eventfold.core.CommandResult#redeliveryAnswer()
     * redelivery answer} ({@code AlreadyAccepted} for an accepted command) and no new events; a
     * command that failed is handled again. After {@link #whenTimeAdvancesTo}, the last command a
     * deadline fired, as a firing repeated after a crash would send it.
     *
     * @return the stage for expectations on its outcome
     * @throws FixtureConfigurationException if no command was sent yet
     */
    public Then<C, E, S> whenRedelivered() {
        if (lastCommand == null) {
            throw new FixtureConfigurationException("whenRedelivered() needs an earlier when(…): there is no command to send again");
        }
        return run(lastCommand, true);
    }

    private Command<C> newCommand(C payload, ExpectedVersion expectedVersion, Map<String, String> commandMetadata) {
        commandCount++;
        String id = "command-" + commandCount;
        for (int suffix = 2; usedCommandIds.contains(id); suffix++) {
            id = "command-" + commandCount + "-" + suffix;   // the test chose this id itself earlier
        }
        return new Command<>(id, aggregateId, expectedVersion, payload, commandMetadata, correlationId);
    }

    private Then<C, E, S> run(Command<C> command) {
        return run(command, false);
    }

    private Then<C, E, S> run(Command<C> command, boolean redelivery) {
        usedCommandIds.add(command.commandId());
        List<RunnerOutcome<E, S>> outcomes = handle(command, redelivery);
        log.when(command, outcomes.get(0).result(), outcomes.get(0).deadlines());
        String scenario = log.render();
        checks.afterCommand(command, outcomes, histories, startedFromState, scenario);
        lastCommand = command;
        return new Then<>(this, outcomes, scenario, pure.pendingDeadlines());
    }

    private List<RunnerOutcome<E, S>> handle(Command<C> command) {
        return handle(command, false);
    }

    /** Handles a command a second after the last step; a redelivery at the time of the last step, as it comes at once. */
    private List<RunnerOutcome<E, S>> handle(Command<C> command, boolean redelivery) {
        Instant at = clock == null ? start : redelivery ? clock : clock.plusSeconds(1);
        clock = at;
        lastStepWasTime = false;
        List<RunnerOutcome<E, S>> outcomes = new ArrayList<>();
        for (Runner<C, E, S> runner : runners) {
            RunnerOutcome<E, S> outcome;
            try {
                outcome = runner.handle(command, at);
            } catch (org.apache.kafka.common.errors.SerializationException e) {
                throw new FixtureConfigurationException("the " + runner.name() + " runner cannot write command "
                        + command.payload() + ": " + e.getMessage(), e);
            }
            outcomes.add(outcome);
            histories.get(runner.name()).addAll(outcome.payloads());
        }
        return outcomes;
    }
}
