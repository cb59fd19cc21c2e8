package io.eventfold.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies every rule of command handling to one command, as a pure and deterministic function.
 *
 * <p>The Kafka topology and the test kit both call this class, so the rules are written once:
 * <ol>
 *   <li>the command's metadata is checked against the {@link CommandMetadata} limits; beyond
 *       them it is a {@link CommandResult.Failed} with {@link InvalidMetadataException} as its
 *       error type;</li>
 *   <li>the command's {@link ExpectedVersion} is checked against the snapshot's version; a
 *       mismatch is a {@link CommandResult.Conflict} and the aggregate is not asked;</li>
 *   <li>{@link Aggregate#decide} is called; a {@link Decision.Rejected} becomes a
 *       {@link CommandResult.Rejected};</li>
 *   <li>{@link Aggregate#evolve} applies each new event, which is stamped with the next version
 *       (current + 1, current + 2, …), the command id (its causation id), the command's
 *       {@link Command#correlation() correlation id}, the metadata the engine's
 *       {@link MetadataPolicy} keeps of the command's, and {@code now};</li>
 *   <li>the decision's {@linkplain Decision.Accepted#deadlines() deadline changes} are passed on
 *       in the {@link Outcome}; a decision that changes deadlines but records no event is a
 *       {@link CommandResult.Failed} with {@link IllegalStateException}, because nothing in the
 *       event log would say why the deadline exists.</li>
 * </ol>
 * An exception thrown by {@code decide} or {@code evolve}, or a {@code null} returned by either,
 * becomes a {@link CommandResult.Failed} whose {@code errorType} is the exception's class name
 * ({@code java.lang.NullPointerException} for a {@code null}); it never escapes, and the snapshot
 * stays as it was. A {@link StackOverflowError} is treated the same way; other errors, which mean
 * the JVM itself is in trouble, propagate.
 *
 * <pre>{@code
 * CommandEngine<InvoiceCommand, InvoiceEvent, Invoice> engine = CommandEngine.of(new InvoiceAggregate());
 * Snapshot<Invoice> before = Snapshot.initial("INV-7", engine.aggregate());
 * Outcome<InvoiceEvent, Invoice> outcome =
 *     engine.handle(before, Command.of("INV-7", new CreateInvoice(...)), Instant.now());
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe if the aggregate is.
 *
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public final class CommandEngine<C, E, S> {

    private final Aggregate<C, E, S> aggregate;
    private final MetadataPolicy metadataPolicy;

    private CommandEngine(Aggregate<C, E, S> aggregate, MetadataPolicy metadataPolicy) {
        this.aggregate = Checks.notNull(aggregate, "aggregate");
        this.metadataPolicy = Checks.notNull(metadataPolicy, "metadataPolicy");
    }

    /**
     * Creates an engine for an aggregate.
     *
     * @param aggregate the aggregate whose commands this engine handles
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return a new engine
     */
    public static <C, E, S> CommandEngine<C, E, S> of(Aggregate<C, E, S> aggregate) {
        return new CommandEngine<>(aggregate, MetadataPolicy.all());
    }

    /**
     * Creates an engine for an aggregate whose events keep what {@code metadataPolicy} keeps of
     * their command's metadata.
     *
     * @param aggregate the aggregate whose commands this engine handles
     * @param metadataPolicy what events keep of the command's metadata
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return a new engine
     */
    public static <C, E, S> CommandEngine<C, E, S> of(Aggregate<C, E, S> aggregate, MetadataPolicy metadataPolicy) {
        return new CommandEngine<>(aggregate, metadataPolicy);
    }

    /**
     * What this engine's events keep of their command's metadata.
     *
     * @return the policy
     */
    public MetadataPolicy metadataPolicy() {
        return metadataPolicy;
    }

    /**
     * Returns the aggregate this engine handles commands for.
     *
     * @return the aggregate
     */
    public Aggregate<C, E, S> aggregate() {
        return aggregate;
    }

    /**
     * Handles one command against the current snapshot of its aggregate.
     *
     * @param current the aggregate's current snapshot; {@link Snapshot#initial} for a new aggregate
     * @param command the command to handle
     * @param now the timestamp given to the new events
     * @return the result, the new events and the snapshot after the command; never {@code null}
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if the snapshot and the command are for different aggregates
     */
    public Outcome<E, S> handle(Snapshot<S> current, Command<C> command, Instant now) {
        Checks.notNull(current, "current");
        Checks.notNull(command, "command");
        Checks.notNull(now, "now");
        if (!current.aggregateId().equals(command.aggregateId())) {
            throw new IllegalArgumentException("snapshot is for aggregate '" + current.aggregateId()
                    + "' but command " + command.commandId() + " is for aggregate '" + command.aggregateId() + "'");
        }
        Optional<String> metadataProblem = CommandMetadata.problem(command.metadata());
        if (metadataProblem.isPresent()) {
            return unchanged(current, new CommandResult.Failed<>(command.commandId(), command.aggregateId(), current.version(),
                    InvalidMetadataException.class.getName(), "command " + command.commandId() + " for "
                    + command.aggregateId() + ": " + metadataProblem.get()));
        }
        if (!command.expectedVersion().matches(current.version())) {
            return unchanged(current, new CommandResult.Conflict<>(
                    command.commandId(), command.aggregateId(), current.version(), command.expectedVersion()));
        }
        try {
            return decideAndEvolve(current, command, now);
        } catch (Exception | StackOverflowError userCodeFailure) {
            return unchanged(current, new CommandResult.Failed<>(command.commandId(), command.aggregateId(),
                    current.version(), userCodeFailure.getClass().getName(), messageOf(userCodeFailure)));
        }
    }

    private Outcome<E, S> decideAndEvolve(Snapshot<S> current, Command<C> command, Instant now) {
        Decision<E> decision = aggregate.decide(command.payload(), current.state());
        if (decision == null) {
            throw new NullPointerException(aggregateName() + ".decide returned null for "
                    + command.payload().getClass().getSimpleName());
        }
        if (decision instanceof Decision.Rejected<E> rejected) {
            return unchanged(current, new CommandResult.Rejected<>(
                    command.commandId(), command.aggregateId(), current.version(), rejected.rejection()));
        }
        Decision.Accepted<E> accepted = (Decision.Accepted<E>) decision;
        List<E> payloads = accepted.events();
        if (payloads.isEmpty() && !accepted.deadlines().isEmpty()) {
            throw new IllegalStateException(aggregateName() + ".decide changed deadline '"
                    + accepted.deadlines().get(0).deadlineId() + "' but recorded no event for "
                    + command.payload().getClass().getSimpleName() + ": a deadline change needs an event that says why");
        }
        Map<String, String> kept = metadataPolicy.apply(command.metadata());
        List<Event<E>> events = new ArrayList<>(payloads.size());
        S state = current.state();
        long version = current.version();
        for (E payload : payloads) {
            state = aggregate.evolve(state, payload);
            if (state == null) {
                throw new NullPointerException(aggregateName() + ".evolve returned null for "
                        + payload.getClass().getSimpleName());
            }
            version++;
            events.add(new Event<>(command.aggregateId(), version, command.commandId(), now, payload, command.correlation(), kept));
        }
        Snapshot<S> next = events.isEmpty() ? current : new Snapshot<>(command.aggregateId(), version, state);
        return new Outcome<>(
                new CommandResult.Accepted<>(command.commandId(), command.aggregateId(), version, events, next.state()),
                events,
                next,
                accepted.deadlines());
    }

    private Outcome<E, S> unchanged(Snapshot<S> current, CommandResult<E, S> result) {
        return new Outcome<>(result, List.of(), current);
    }

    private String aggregateName() {
        String name = aggregate.getClass().getSimpleName();
        return name.isEmpty() ? "Aggregate" : name;
    }

    private static String messageOf(Throwable failure) {
        return failure.getMessage() == null ? "" : failure.getMessage();
    }

    @Override
    public String toString() {
        return "CommandEngine[" + aggregateName() + "]";
    }
}
