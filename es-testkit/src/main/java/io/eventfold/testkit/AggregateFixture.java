package io.eventfold.testkit;

import io.eventfold.kafka.AggregateType;
import io.eventfold.core.Aggregate;
import io.eventfold.core.CommandEngine;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Given-when-then tests of an aggregate. Every scenario runs through two runners: the pure
 * {@link CommandEngine}, and the real Kafka Streams topology on a {@code TopologyTestDriver} with
 * the real JSON serdes. Both must meet your expectations, and after every command the fixture
 * also checks that they agree and that state, events and commands survive JSON (see {@link Check}).
 *
 * <pre>{@code
 * AggregateFixture<InvoiceCommand, InvoiceEvent, Invoice> fixture = AggregateFixture.of(Invoices.TYPE);
 *
 * fixture.given(new InvoiceCreated(customer, issued, due, "EUR"), new LineItemAdded(cards))
 *        .when(new SendInvoice())
 *        .thenEvents(new InvoiceSent())
 *        .thenState(invoice -> assertThat(invoice.status()).isEqualTo(SENT))
 *        .and()
 *        .when(new SendInvoice())
 *        .thenRejected("INVOICE_NOT_DRAFT");
 * }</pre>
 *
 * <p>A fixture is immutable and may be shared between tests and threads; each {@code given…}
 * starts an independent scenario with its own stores.
 *
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public final class AggregateFixture<C, E, S> {

    static final Instant DEFAULT_START = Instant.parse("2026-01-01T09:00:00Z");

    private final CommandEngine<C, E, S> engine;
    private final AggregateType<C, E, S> type;
    private final String aggregateId;
    private final Instant start;
    private final Set<Check> checks;
    private final Map<String, String> metadata;
    private final String correlationId;

    private AggregateFixture(CommandEngine<C, E, S> engine, AggregateType<C, E, S> type, String aggregateId,
                             Instant start, Set<Check> checks, Map<String, String> metadata, String correlationId) {
        this.engine = engine;
        this.type = type;
        this.aggregateId = aggregateId;
        this.start = start;
        this.checks = Set.copyOf(checks);
        this.metadata = metadata;
        this.correlationId = correlationId;
    }

    /**
     * A fixture that runs every scenario both as pure functions and through the real topology.
     *
     * @param type the aggregate type, as the application builds it
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return a fixture with every {@link Check} on
     */
    public static <C, E, S> AggregateFixture<C, E, S> of(AggregateType<C, E, S> type) {
        Objects.requireNonNull(type, "type must not be null");
        return new AggregateFixture<>(type.engine(), type, type.name() + "-1", DEFAULT_START, EnumSet.allOf(Check.class),
                Map.of(), null);
    }

    /**
     * A fixture that runs scenarios as pure functions only: no Kafka, no JSON. Faster, and
     * enough while an aggregate has no {@link AggregateType} yet.
     *
     * @param aggregate the aggregate
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return a pure fixture
     */
    public static <C, E, S> AggregateFixture<C, E, S> pure(Aggregate<C, E, S> aggregate) {
        Objects.requireNonNull(aggregate, "aggregate must not be null");
        return new AggregateFixture<>(CommandEngine.of(aggregate), null, "aggregate-1", DEFAULT_START,
                EnumSet.of(Check.STATE_IS_REPLAY), Map.of(), null);
    }

    /**
     * Returns a copy whose scenarios use this aggregate id; default {@code <type>-1}.
     *
     * @param id the aggregate id, not blank
     * @return a copy of this fixture
     */
    public AggregateFixture<C, E, S> withAggregateId(String id) {
        Objects.requireNonNull(id, "aggregateId must not be null");
        if (id.isBlank()) {
            throw new FixtureConfigurationException("aggregateId must not be blank");
        }
        return new AggregateFixture<>(engine, type, id, start, checks, metadata, correlationId);
    }

    /**
     * Returns a copy whose first command is handled at this instant; each further command one
     * second later. Default {@code 2026-01-01T09:00:00Z}, so event timestamps are repeatable.
     *
     * @param instant when the first command is handled, not before 1970
     * @return a copy of this fixture
     */
    public AggregateFixture<C, E, S> startingAt(Instant instant) {
        Objects.requireNonNull(instant, "instant must not be null");
        if (instant.isBefore(Instant.EPOCH)) {
            throw new FixtureConfigurationException("startingAt(" + instant + ") is before 1970: Kafka record timestamps cannot be");
        }
        return new AggregateFixture<>(engine, type, aggregateId, instant, checks, metadata, correlationId);
    }

    /**
     * Returns a copy without some of the checks made after every command.
     *
     * @param disabled the checks to switch off
     * @return a copy of this fixture
     */
    public AggregateFixture<C, E, S> withoutChecks(Check... disabled) {
        EnumSet<Check> remaining = checks.isEmpty() ? EnumSet.noneOf(Check.class) : EnumSet.copyOf(checks);
        Arrays.asList(disabled).forEach(remaining::remove);
        return new AggregateFixture<>(engine, type, aggregateId, start, remaining, metadata, correlationId);
    }

    /**
     * Returns a copy whose scenarios send every command, {@link #givenCommands given commands}
     * included, with this metadata; a scenario changes it for its next commands with
     * {@link Scenario#withMetadata}. Default none.
     *
     * <pre>{@code
     * AggregateFixture<InvoiceCommand, InvoiceEvent, Invoice> asAlice = fixture.withMetadata(Map.of("user", "alice"));
     * asAlice.givenCommands(new CreateInvoice(customer, issued, due, "EUR"))
     *        .when(new SendInvoice())
     *        .thenEventMetadata(Map.of("user", "alice"));
     * }</pre>
     *
     * @param metadata the metadata, not {@code null}; not checked against the
     *     {@link io.eventfold.core.CommandMetadata} limits, so that a test can expect their {@code Failed} result
     * @return a copy of this fixture
     */
    public AggregateFixture<C, E, S> withMetadata(Map<String, String> metadata) {
        return new AggregateFixture<>(engine, type, aggregateId, start, checks, Scenario.copyOf(metadata), correlationId);
    }

    /**
     * Returns a copy whose scenarios send every command, given commands included, as part of
     * the chain with this correlation id (see {@link io.eventfold.core.Command#correlationId()});
     * a scenario changes it with {@link Scenario#withCorrelationId}. Default none: each command
     * starts its own chain, and its events carry its command id.
     *
     * <pre>{@code
     * fixture.withCorrelationId("order-7").givenCommands(create).when(new SendInvoice()).thenCorrelationId("order-7");
     * }</pre>
     *
     * @param correlationId the chain's correlation id, not blank; or {@code null}
     * @return a copy of this fixture
     */
    public AggregateFixture<C, E, S> withCorrelationId(String correlationId) {
        return new AggregateFixture<>(engine, type, aggregateId, start, checks, metadata, Scenario.checkCorrelationId(correlationId));
    }

    /**
     * The checks this fixture makes after every command.
     *
     * @return the enabled checks
     */
    public Set<Check> checks() {
        return checks;
    }

    /**
     * Starts a scenario whose aggregate has these events.
     *
     * @param events the aggregate's history, oldest first
     * @return the scenario, ready for {@code when}
     * @throws FixtureConfigurationException if the aggregate cannot apply an event
     */
    @SafeVarargs
    public final Scenario<C, E, S> given(E... events) {
        return given(Arrays.asList(events));
    }

    /**
     * Starts a scenario whose aggregate has these events.
     *
     * @param events the aggregate's history, oldest first
     * @return the scenario, ready for {@code when}
     * @throws FixtureConfigurationException if the aggregate cannot apply an event
     */
    public Scenario<C, E, S> given(List<? extends E> events) {
        Objects.requireNonNull(events, "events must not be null");
        return newScenario().startWithEvents(List.copyOf(events));
    }

    /**
     * Starts a scenario with an aggregate that does not exist yet (version 0).
     *
     * @return the scenario, ready for {@code when}
     */
    public Scenario<C, E, S> givenNothing() {
        return newScenario().startWithEvents(List.of());
    }

    /**
     * Starts a scenario from a state instead of events, at version 0. Both runners start from
     * it (the topology runner finds it in its snapshot store); {@link Check#STATE_IS_REPLAY}
     * does not apply, since there are no events to replay.
     *
     * @param state the aggregate's state
     * @return the scenario, ready for {@code when}
     */
    public Scenario<C, E, S> givenState(S state) {
        return givenState(state, 0);
    }

    /**
     * Starts a scenario from a state at a version, as {@link #givenState(Object)}.
     *
     * @param state the aggregate's state
     * @param version the version the state is at, {@code >= 0}
     * @return the scenario, ready for {@code when}
     */
    public Scenario<C, E, S> givenState(S state, long version) {
        Objects.requireNonNull(state, "state must not be null");
        if (version < 0) {
            throw new FixtureConfigurationException("version must be >= 0 but was " + version);
        }
        return newScenario().startWithState(state, version);
    }

    /**
     * Starts a scenario whose aggregate has handled these commands, each of which must be accepted.
     * They carry the fixture's metadata and correlation id ({@link #withMetadata}, {@link #withCorrelationId}).
     *
     * @param commands the commands, in order
     * @return the scenario, ready for {@code when}
     * @throws FixtureConfigurationException naming the first command that is not accepted
     */
    @SafeVarargs
    public final Scenario<C, E, S> givenCommands(C... commands) {
        Scenario<C, E, S> scenario = newScenario().startWithEvents(List.of());
        for (C command : commands) {
            scenario.runGivenCommand(command);
        }
        return scenario;
    }

    /**
     * Starts a scenario from stored events: the envelopes of one aggregate as they are on the
     * events topic, one per line (or a JSON array), such as a file of a {@link CompatibilityCorpus}.
     * Each is read as the application reads it (upcast, then decoded), and the scenario's aggregate
     * id is theirs. Both runners start from the fold: the topology runner finds it in its
     * snapshot store at the current state version, as the rebuild after an upgrade leaves it.
     *
     * <pre>{@code
     * fixture.givenStored("corpus/v1/INV-C3.events.jsonl")
     *        .when(new AddLineItem(taxedLine))
     *        .thenEvents(new LineItemAdded(taxedLine));
     * }</pre>
     *
     * @param location a class-path resource such as {@code "corpus/v1/INV-C3.events.jsonl"}, or a file path
     * @return the scenario, ready for {@code when}
     * @throws FixtureConfigurationException naming the file and line of a record that cannot be read,
     *         is of another aggregate, or breaks the versions {@code 1, 2, 3…}
     */
    public Scenario<C, E, S> givenStored(String location) {
        Objects.requireNonNull(location, "location must not be null");
        if (type == null) {
            throw new FixtureConfigurationException("givenStored(\"" + location + "\") reads JSON and needs an aggregate type:"
                    + " use AggregateFixture.of(type) instead of AggregateFixture.pure(aggregate)");
        }
        StoredEvents<E> stored = StoredEvents.read(type, location);
        return new Scenario<>(engine, type, stored.aggregateId(), start, checks, metadata, correlationId).startWithEvents(stored.payloads());
    }

    private Scenario<C, E, S> newScenario() {
        return new Scenario<>(engine, type, aggregateId, start, checks, metadata, correlationId);
    }

    @Override
    public String toString() {
        return "AggregateFixture[" + (type == null ? "pure" : type.name()) + ", checks=" + checks + "]";
    }
}
