package io.eventfold.testkit;

import io.eventfold.core.ProcessManager;
import io.eventfold.core.ProcessManagerEngine;
import io.eventfold.kafka.ProcessManagerType;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Given-when-then tests of a process manager: given events of a source aggregate, when another
 * event (or the result of a command it sent), then the commands it sends and its state. Every
 * scenario of {@link #of(ProcessManagerType)} runs through two runners: the pure
 * {@link ProcessManagerEngine}, and the real topology on a {@code TopologyTestDriver}, where the
 * events are records of the source type's events topic and the commands are read from the target
 * type's commands topic. Both must meet your expectations, and after every input the fixture also
 * checks that they agree, that events, commands and state survive JSON, and what the topology wrote
 * (see {@link Check}).
 *
 * <pre>{@code
 * ProcessManagerFixture<InvoiceEvent, InvoiceAccount, AccountCommand> fixture = ProcessManagerFixture.of(InvoiceAccounts.TYPE);
 *
 * fixture.given(new InvoiceCreated(customer, issued, due, "EUR"), new LineItemAdded(cards))
 *        .when(new InvoiceSent())
 *        .thenSends("C-1", new Charge("invoice-1", total))
 *        .and()
 *        .whenResult(Reply.rejected("ACCOUNT_CLOSED", "account C-1 is closed"))
 *        .thenSendsNothing();
 * }</pre>
 *
 * <p>The target aggregate does not run: each command the manager sends awaits its result until
 * the scenario gives one with {@link ProcessScenario#whenResult}. On the topology runner a
 * stand-in of the target type holds the command back the way a partition that rebuilds its
 * snapshots does (the manager sends it again a second later) and answers it when told.
 *
 * <p>A fixture is immutable and may be shared between tests and threads; each {@code given…}
 * starts an independent scenario.
 *
 * @param <E> the source event type
 * @param <S> the manager's state type
 * @param <C> the target command type
 */
public final class ProcessManagerFixture<E, S, C> {

    private final ProcessManagerEngine<E, S, C> engine;
    private final ProcessManagerType<E, S, C> type;
    private final String sourceAggregateId;
    private final Instant start;
    private final Set<Check> checks;

    private ProcessManagerFixture(ProcessManagerEngine<E, S, C> engine, ProcessManagerType<E, S, C> type, String sourceAggregateId,
                                  Instant start, Set<Check> checks) {
        this.engine = engine;
        this.type = type;
        this.sourceAggregateId = sourceAggregateId;
        this.start = start;
        this.checks = Set.copyOf(checks);
    }

    /**
     * A fixture that runs every scenario both as pure functions and through the real topology.
     *
     * @param type the process manager type, as the application builds it
     * @param <E> the source event type
     * @param <S> the manager's state type
     * @param <C> the target command type
     * @return a fixture with {@link Check#RUNNERS_AGREE}, {@link Check#JSON_ROUND_TRIP} and {@link Check#TOPOLOGY_OUTPUTS} on
     */
    public static <E, S, C> ProcessManagerFixture<E, S, C> of(ProcessManagerType<E, S, C> type) {
        Objects.requireNonNull(type, "type must not be null");
        return new ProcessManagerFixture<>(type.engine(), type, type.source().name() + "-1", AggregateFixture.DEFAULT_START,
                EnumSet.of(Check.RUNNERS_AGREE, Check.JSON_ROUND_TRIP, Check.TOPOLOGY_OUTPUTS));
    }

    /**
     * A fixture that runs scenarios as pure functions only: no Kafka, no JSON. Enough while the
     * manager has no {@link ProcessManagerType} yet.
     *
     * <pre>{@code
     * ProcessManagerFixture.pure("invoice-accounts", "invoice", new InvoiceAccounts())
     * }</pre>
     *
     * @param name the manager's name, the first part of its command ids
     * @param sourceTypeName the name of the aggregate type whose events it reads
     * @param manager the manager
     * @param <E> the source event type
     * @param <S> the manager's state type
     * @param <C> the target command type
     * @return a pure fixture
     */
    public static <E, S, C> ProcessManagerFixture<E, S, C> pure(String name, String sourceTypeName, ProcessManager<E, S, C> manager) {
        return new ProcessManagerFixture<>(new ProcessManagerEngine<>(name, sourceTypeName, manager), null, sourceTypeName + "-1",
                AggregateFixture.DEFAULT_START, EnumSet.noneOf(Check.class));
    }

    /**
     * Returns a copy whose scenarios' events are of this source aggregate; default {@code <source type>-1}.
     *
     * @param id the source aggregate id, not blank
     * @return a copy of this fixture
     */
    public ProcessManagerFixture<E, S, C> withSourceAggregateId(String id) {
        Objects.requireNonNull(id, "sourceAggregateId must not be null");
        if (id.isBlank()) {
            throw new FixtureConfigurationException("sourceAggregateId must not be blank");
        }
        return new ProcessManagerFixture<>(engine, type, id, start, checks);
    }

    /**
     * Returns a copy whose first event is stamped with this instant, each further input a second
     * later. Default {@code 2026-01-01T09:00:00Z}.
     *
     * @param instant the first event's timestamp, not before 1970
     * @return a copy of this fixture
     */
    public ProcessManagerFixture<E, S, C> startingAt(Instant instant) {
        Objects.requireNonNull(instant, "instant must not be null");
        if (instant.isBefore(Instant.EPOCH)) {
            throw new FixtureConfigurationException("startingAt(" + instant + ") is before 1970: Kafka record timestamps cannot be");
        }
        return new ProcessManagerFixture<>(engine, type, sourceAggregateId, instant, checks);
    }

    /**
     * Returns a copy without some of the checks made after every input.
     *
     * @param disabled the checks to switch off
     * @return a copy of this fixture
     */
    public ProcessManagerFixture<E, S, C> withoutChecks(Check... disabled) {
        EnumSet<Check> remaining = checks.isEmpty() ? EnumSet.noneOf(Check.class) : EnumSet.copyOf(checks);
        Arrays.asList(disabled).forEach(remaining::remove);
        return new ProcessManagerFixture<>(engine, type, sourceAggregateId, start, remaining);
    }

    /**
     * The checks this fixture makes after every input.
     *
     * @return the enabled checks
     */
    public Set<Check> checks() {
        return checks;
    }

    /**
     * Starts a scenario in which the manager has handled these events of the source aggregate,
     * versions 1, 2, 3…; the commands it sent then await their results.
     *
     * @param events the source aggregate's events, oldest first
     * @return the scenario, ready for {@code when}
     */
    @SafeVarargs
    public final ProcessScenario<E, S, C> given(E... events) {
        return given(Arrays.asList(events));
    }

    /**
     * Starts a scenario in which the manager has handled these events, as {@link #given(Object[])}.
     *
     * @param events the source aggregate's events, oldest first
     * @return the scenario, ready for {@code when}
     */
    public ProcessScenario<E, S, C> given(List<? extends E> events) {
        Objects.requireNonNull(events, "events must not be null");
        ProcessScenario<E, S, C> scenario = givenNothing();
        for (int i = 0; i < events.size(); i++) {
            scenario.runGiven(Objects.requireNonNull(events.get(i), "given event #" + (i + 1) + " must not be null"));
        }
        return scenario;
    }

    /**
     * Starts a scenario in which the manager has seen nothing yet.
     *
     * @return the scenario, ready for {@code when}
     */
    public ProcessScenario<E, S, C> givenNothing() {
        return new ProcessScenario<>(engine, type, sourceAggregateId, start, checks);
    }

    @Override
    public String toString() {
        return "ProcessManagerFixture[" + (type == null ? "pure" : type.name()) + ", checks=" + checks + "]";
    }
}
