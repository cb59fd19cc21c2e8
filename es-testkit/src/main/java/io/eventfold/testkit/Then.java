package io.eventfold.testkit;

import io.eventfold.core.CommandResult;
import io.eventfold.core.DeadlineChange;
import io.eventfold.core.Rejection;
import io.eventfold.testkit.internal.DeadlineBook;
import io.eventfold.testkit.internal.Diff;
import io.eventfold.testkit.internal.ErrorTypes;
import io.eventfold.testkit.internal.EveryEvent;
import io.eventfold.testkit.internal.KeptInStore;
import io.eventfold.testkit.internal.Mismatch;
import io.eventfold.testkit.internal.Render;
import io.eventfold.testkit.internal.RunnerOutcome;
import io.eventfold.testkit.internal.Table;
import io.eventfold.testkit.internal.Verdicts;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Expectations on the outcome of one command, or of time passing ({@link Scenario#whenTimeAdvancesTo}):
 * then the commands the due deadlines fired are checked with {@link #thenFired}, and the other
 * expectations apply to all of them together (their events, the state after the last; an
 * expectation on the result to each of them). Each expectation must hold for every runner; a
 * failure names the runners that missed it ({@code [pure ✔ | topology ✘]}), shows the scenario and
 * explains the difference. Chain as many as you like, then {@link #and()} to send another command.
 *
 * <pre>{@code
 * fixture.given(created, cardsAdded)
 *        .when(new RemoveLineItem("li-2"))
 *        .thenEvents(new LineItemRemoved("li-2"))
 *        .thenVersion(3)
 *        .thenState(invoice -> assertThat(invoice.lineItems()).isEmpty());
 * }</pre>
 *
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public final class Then<C, E, S> {

    private final Scenario<C, E, S> scenario;
    private final List<RunnerOutcome<E, S>> outcomes;
    private final Verdicts<RunnerOutcome<E, S>> verdicts;
    private final List<DeadlineBook.Scheduled> pending;

    Then(Scenario<C, E, S> scenario, List<RunnerOutcome<E, S>> outcomes, String story, List<DeadlineBook.Scheduled> pending) {
        this.scenario = scenario;
        this.outcomes = outcomes;
        this.verdicts = new Verdicts<>(outcomes, RunnerOutcome::runner, story);
        this.pending = pending;
    }

    /**
     * Expects exactly these events, in this order.
     *
     * @param events the expected event payloads; none means no events
     * @return this stage
     */
    @SafeVarargs
    public final Then<C, E, S> thenEvents(E... events) {
        List<E> expected = Arrays.asList(events);
        return expect("events mismatch", true, outcome -> {
            if (expected.equals(outcome.payloads())) {
                return Optional.empty();
            }
            return Optional.of(new Mismatch(expected, outcome.payloads(), "Expecting events:\n"
                    + Table.of(expected, outcome.payloads(), "actual (" + outcome.runner() + ")")
                    + Diff.firstDifference("events", expected, outcome.payloads()).map(d -> "\nFirst difference: " + d + "\n").orElse("")));
        });
    }

    /**
     * Expects no events, whatever the result.
     *
     * @return this stage
     */
    public Then<C, E, S> thenNoEvents() {
        return expect("expected no events", false, outcome -> outcome.events().isEmpty() ? Optional.empty()
                : Optional.of(new Mismatch(List.of(), outcome.payloads(), "Expecting no events but got:\n"
                        + Table.of(List.of(), outcome.payloads(), "actual (" + outcome.runner() + ")"))));
    }

    /**
     * Runs your own assertions on the new event payloads.
     *
     * @param requirements assertions, for instance AssertJ's
     * @return this stage
     */
    public Then<C, E, S> thenEventsSatisfy(Consumer<List<E>> requirements) {
        return satisfy("events do not satisfy the requirements", true, outcome -> requirements.accept(outcome.payloads()));
    }

    /**
     * Expects every event of the command to carry exactly this metadata: the command's, as the
     * aggregate type's {@link io.eventfold.core.MetadataPolicy} keeps it. A command without events misses it.
     *
     * <pre>{@code
     * scenario.when(new SendInvoice(), Map.of("user", "alice", "password", "hunter2"))
     *         .thenEventMetadata(Map.of("user", "alice"));   // with MetadataPolicy.only("user")
     * }</pre>
     *
     * @param expected the metadata every event carries; {@code Map.of()} for none
     * @return this stage
     */
    public Then<C, E, S> thenEventMetadata(Map<String, String> expected) {
        Objects.requireNonNull(expected, "expected metadata must not be null");
        Map<String, String> sorted = Render.metadata(expected);
        return expect("event metadata mismatch", true,
                outcome -> EveryEvent.equal("metadata", sorted, outcome, event -> Render.metadata(event.metadata())));
    }

    /**
     * Runs your own assertions on the metadata of every event of the command; a command without
     * events misses them.
     *
     * <pre>{@code
     * scenario.when(new SendInvoice(), Map.of("user", "alice"))
     *         .thenEventMetadata(metadata -> assertThat(metadata).containsEntry("user", "alice"));
     * }</pre>
     *
     * @param requirements assertions, for instance AssertJ's, run once per event
     * @return this stage
     */
    public Then<C, E, S> thenEventMetadata(Consumer<Map<String, String>> requirements) {
        Objects.requireNonNull(requirements, "requirements must not be null");
        return satisfy("the event metadata does not satisfy the requirements", true,
                outcome -> EveryEvent.satisfy("metadata", outcome, event -> event.metadata(), requirements));
    }

    /**
     * Expects every event of the command to carry this correlation id: the one the command
     * continues ({@link Scenario#withCorrelationId}), or its own command id when it starts a
     * chain. A command without events misses it.
     *
     * <pre>{@code
     * scenario.withCorrelationId("order-7").when(new SendInvoice()).thenCorrelationId("order-7");
     * }</pre>
     *
     * @param expected the correlation id
     * @return this stage
     */
    public Then<C, E, S> thenCorrelationId(String expected) {
        Objects.requireNonNull(expected, "expected correlation id must not be null");
        return expect("correlation id mismatch", true,
                outcome -> EveryEvent.equal("correlation id", expected, outcome, event -> event.correlationId()));
    }

    /**
     * Expects the command to be accepted, with or without events.
     *
     * @return this stage
     */
    public Then<C, E, S> thenAccepted() {
        return expectResult("expected the command to be accepted", "accepted", true,
                result -> result.kind() == CommandResult.Kind.ACCEPTED);
    }

    /**
     * Expects the command to be rejected with this code.
     *
     * @param code the expected {@link Rejection#code()}
     * @return this stage
     */
    public Then<C, E, S> thenRejected(String code) {
        Objects.requireNonNull(code, "code must not be null");
        return expectResult("expected the command to be rejected with " + code, "rejected " + code, false,
                result -> result instanceof CommandResult.Rejected<E, S> rejected && rejected.rejection().code().equals(code));
    }

    /**
     * Expects the command to be rejected, and runs your own assertions on the rejection.
     *
     * @param requirements assertions on the rejection
     * @return this stage
     */
    public Then<C, E, S> thenRejected(Consumer<Rejection> requirements) {
        expectResult("expected the command to be rejected", "rejected", false, result -> result instanceof CommandResult.Rejected);
        return satisfy("the rejection does not satisfy the requirements", false,
                outcome -> eachResult(outcome, result -> requirements.accept(((CommandResult.Rejected<E, S>) result).rejection())));
    }

    /**
     * Expects a version conflict: the command's expected version did not match.
     *
     * @return this stage
     */
    public Then<C, E, S> thenConflict() {
        return expectResult("expected a version conflict", "conflict", false, result -> result instanceof CommandResult.Conflict);
    }

    /**
     * Expects the command to fail with this exception type (or a subtype), thrown by user code
     * or raised while reading the command.
     *
     * @param errorType the expected exception class
     * @return this stage
     */
    public Then<C, E, S> thenFailed(Class<? extends Throwable> errorType) {
        Objects.requireNonNull(errorType, "errorType must not be null");
        return expectResult("expected the command to fail with " + errorType.getName(), "failed " + errorType.getName(), false,
                result -> result instanceof CommandResult.Failed<E, S> failed && ErrorTypes.isA(failed.errorType(), errorType));
    }

    /**
     * Expects the state after the command to equal this one.
     *
     * @param expected the expected state
     * @return this stage
     */
    public Then<C, E, S> thenState(S expected) {
        return expect("state mismatch", true, outcome -> Objects.equals(expected, outcome.state()) ? Optional.empty()
                : Optional.of(new Mismatch(expected, outcome.state(), "Expecting state:\n  " + Render.value(outcome.state())
                        + "\nto be:\n  " + Render.value(expected) + "\n"
                        + Diff.firstDifference("state", expected, outcome.state()).map(d -> "\nFirst difference: " + d + "\n").orElse(""))));
    }

    /**
     * Runs your own assertions on the state after the command.
     *
     * @param requirements assertions, for instance AssertJ's
     * @return this stage
     */
    public Then<C, E, S> thenState(Consumer<S> requirements) {
        return satisfy("the state does not satisfy the requirements", true, outcome -> requirements.accept(outcome.state()));
    }

    /**
     * Expects the aggregate's version after the command.
     *
     * @param version the expected version
     * @return this stage
     */
    public Then<C, E, S> thenVersion(long version) {
        return expect("version mismatch", true, outcome -> outcome.version() == version ? Optional.empty()
                : Optional.of(new Mismatch(version, outcome.version(), "Expecting version:\n  " + outcome.version()
                        + "\nto be:\n  " + version + "\n")));
    }

    /**
     * Runs your own assertions on the command's result.
     *
     * @param requirements assertions on the result, e.g. with {@link EventfoldAssertions}
     * @return this stage
     */
    public Then<C, E, S> thenResult(Consumer<CommandResult<E, S>> requirements) {
        return satisfy("the result does not satisfy the requirements", false, outcome -> eachResult(outcome, requirements));
    }

    /**
     * Expects the step to leave this deadline scheduled: the last change its decision made to the
     * deadline schedules {@code command} at {@code dueAt}. After a command, its decision; after
     * time passed, the decisions of the commands fired.
     *
     * <pre>{@code
     * fixture.given(created, cardsAdded)
     *        .when(new SendInvoice())
     *        .thenScheduled("overdue", DUE_DATE, new MarkOverdue());
     * }</pre>
     *
     * @param deadlineId the deadline
     * @param dueAt when it is due
     * @param command the command it fires
     * @return this stage
     */
    public Then<C, E, S> thenScheduled(String deadlineId, Instant dueAt, C command) {
        Objects.requireNonNull(deadlineId, "deadlineId must not be null");
        Objects.requireNonNull(dueAt, "dueAt must not be null");
        Objects.requireNonNull(command, "command must not be null");
        DeadlineChange expected = new DeadlineChange.Schedule(deadlineId, dueAt, command);
        return expect("expected deadline " + deadlineId + " to be scheduled", true, outcome -> {
            Optional<DeadlineChange> last = lastChange(outcome, deadlineId).map(actual -> withCommandOf(actual, command));
            if (last.isPresent() && last.get().equals(expected)) {
                return Optional.empty();
            }
            String details = "Expecting the last change to deadline " + deadlineId + " to be:\n  " + Render.deadlineChange(expected)
                    + "\n" + changes(outcome)
                    + last.flatMap(actual -> Diff.firstDifference("deadline", expected, actual))
                            .map(d -> "\nFirst difference: " + d + "\n").orElse("");
            return Optional.of(new Mismatch(Render.deadlineChange(expected), last.map(Render::deadlineChange).orElse("<none>"), details));
        });
    }

    /**
     * Expects the step to cancel this deadline: the last change its decision made to the deadline cancels it.
     *
     * <pre>{@code
     * fixture.givenCommands(create, addCards, new SendInvoice())
     *        .when(new PayInvoice(total))
     *        .thenCancelled("overdue");
     * }</pre>
     *
     * @param deadlineId the deadline
     * @return this stage
     */
    public Then<C, E, S> thenCancelled(String deadlineId) {
        Objects.requireNonNull(deadlineId, "deadlineId must not be null");
        DeadlineChange expected = new DeadlineChange.Cancel(deadlineId);
        return expect("expected deadline " + deadlineId + " to be cancelled", true, outcome -> {
            Optional<DeadlineChange> last = lastChange(outcome, deadlineId);
            return last.isPresent() && last.get().equals(expected) ? Optional.empty()
                    : Optional.of(new Mismatch(Render.deadlineChange(expected), last.map(Render::deadlineChange).orElse("<none>"),
                            "Expecting the last change to deadline " + deadlineId + " to be:\n  " + Render.deadlineChange(expected)
                                    + "\n" + changes(outcome)));
        });
    }

    /**
     * Expects the step to schedule and cancel nothing.
     *
     * @return this stage
     */
    public Then<C, E, S> thenNoDeadlineChanges() {
        return expect("expected no deadline changes", false, outcome -> outcome.deadlines().isEmpty() ? Optional.empty()
                : Optional.of(new Mismatch(List.of(), outcome.deadlines().stream().map(Render::deadlineChange).toList(),
                        "Expecting no deadline changes\n" + changes(outcome))));
    }

    /**
     * After {@link Scenario#whenTimeAdvancesTo} or {@link Scenario#whenTimeAdvancesBy}: expects the
     * due deadlines to have fired exactly these commands, in the order they fired (by due time,
     * then deadline id). Their events, results and the state after them are checked with the other
     * expectations, such as {@link #thenEvents}.
     *
     * <pre>{@code
     * fixture.givenCommands(create, addCards, new SendInvoice())
     *        .whenTimeAdvancesTo(DUE_DATE)
     *        .thenFired(new MarkOverdue())
     *        .thenEvents(new InvoiceOverdue());
     * }</pre>
     *
     * @param commands the commands fired; none means nothing was due
     * @return this stage
     * @throws FixtureConfigurationException after a command rather than time passing
     */
    @SafeVarargs
    public final Then<C, E, S> thenFired(C... commands) {
        requireTimeStep("thenFired(…)");
        List<Object> expected = Arrays.asList((Object[]) commands);
        return expect(expected.isEmpty() ? "expected nothing to fire" : "fired commands mismatch", false, outcome -> {
            if (expected.equals(outcome.firedPayloads())) {
                return Optional.empty();
            }
            return Optional.of(new Mismatch(expected, outcome.firedPayloads(), "Expecting the deadlines due to fire:\n"
                    + Table.of(expected, outcome.firedPayloads(), "actual (" + outcome.runner() + ")")
                    + Diff.firstDifference("fired", expected, outcome.firedPayloads()).map(d -> "\nFirst difference: " + d + "\n").orElse("")
                    + (outcome.firedPayloads().size() < expected.size() ? "\nStill scheduled" + pendingNote() + "\n" : "")));
        });
    }

    /**
     * After {@link Scenario#whenTimeAdvancesTo} or {@link Scenario#whenTimeAdvancesBy}: expects
     * that no deadline was due. The same as {@code thenFired()} with no commands.
     *
     * @return this stage
     * @throws FixtureConfigurationException after a command rather than time passing
     */
    public Then<C, E, S> thenNothingFired() {
        return thenFired();
    }

    /**
     * Continues the same scenario with another command.
     *
     * @return the scenario, for the next {@code when}
     */
    public Scenario<C, E, S> and() {
        return scenario;
    }

    /**
     * The outcome of the pure runner, for assertions this class does not offer.
     *
     * @return the command's result; after time passed, the result of the last command fired, or
     *     {@code null} when nothing was due
     */
    public CommandResult<E, S> result() {
        return outcomes.get(0).result();
    }

    // ---------------------------------------------------------------------------------------

    private Then<C, E, S> expectResult(String title, String expected, boolean wantsSuccess,
                                       Function<CommandResult<E, S>, Boolean> matches) {
        return expect(title, wantsSuccess, outcome -> {
            if (outcome.timeStep() && outcome.fired().isEmpty()) {
                return Optional.of(new Mismatch(expected, "nothing fired", "Expecting result:\n  " + expected
                        + "\nbut no deadline fired (" + outcome.runner() + ")\n"));
            }
            for (CommandResult<E, S> result : outcome.results()) {
                if (!matches.apply(result)) {
                    return Optional.of(new Mismatch(expected, Render.result(result), "Expecting result"
                            + (outcome.timeStep() ? " of every command fired" : "") + ":\n  "
                            + Render.result(result) + "\nto be:\n  " + expected + "\n"));
                }
            }
            return Optional.empty();
        });
    }

    private Then<C, E, S> satisfy(String title, boolean wantsSuccess, Consumer<RunnerOutcome<E, S>> requirements) {
        verdicts.satisfy(title, requirements, outcome -> probableCause(outcome, wantsSuccess));
        return this;
    }

    private Then<C, E, S> expect(String title, boolean wantsSuccess, Function<RunnerOutcome<E, S>, Optional<Mismatch>> check) {
        verdicts.expect(title, check, outcome -> probableCause(outcome, wantsSuccess));
        return this;
    }

    /** Runs requirements on each result the step's expectations apply to; a time step that fired nothing has none to meet them. */
    private static <E, S> void eachResult(RunnerOutcome<E, S> outcome, Consumer<CommandResult<E, S>> requirements) {
        if (outcome.timeStep() && outcome.fired().isEmpty()) {
            throw new AssertionError("no deadline fired, so there is no result");
        }
        outcome.results().forEach(requirements);
    }

    /** When the test expected success but the command did not succeed, that is the likeliest reason. */
    private String probableCause(RunnerOutcome<E, S> outcome, boolean wantsSuccess) {
        if (!wantsSuccess) {
            return "";
        }
        if (outcome.timeStep() && outcome.fired().isEmpty()) {
            return "\nProbable cause: no deadline was due; still scheduled" + pendingNote() + "\n";
        }
        for (CommandResult<E, S> result : outcome.results()) {
            if (result.kind() != CommandResult.Kind.ACCEPTED) {
                return "\nProbable cause: the command " + (outcome.timeStep() ? "fired " : "") + "was " + Render.result(result) + "\n";
            }
        }
        return "";
    }

    /** The deadlines the pure runner still holds, for a reader who wonders why nothing fired. */
    private String pendingNote() {
        if (pending.isEmpty()) {
            return ": nothing";
        }
        StringBuilder note = new StringBuilder(":");
        pending.forEach(scheduled -> note.append("\n  ").append(Render.scheduled(scheduled)));
        return note.toString();
    }

    /**
     * The topology runner sees a deadline's id and due time on the event record, and its command
     * when it fires (compared with the pure runner's then): until then its command is the one expected.
     */
    private static DeadlineChange withCommandOf(DeadlineChange actual, Object command) {
        return actual instanceof DeadlineChange.Schedule schedule && schedule.command() == KeptInStore.COMMAND
                ? new DeadlineChange.Schedule(schedule.deadlineId(), schedule.dueAt(), command) : actual;
    }

    /** The last change a step made to a deadline, which decides whether it is scheduled or cancelled after it. */
    private static Optional<DeadlineChange> lastChange(RunnerOutcome<?, ?> outcome, String deadlineId) {
        DeadlineChange last = null;
        for (DeadlineChange change : outcome.deadlines()) {
            if (change.deadlineId().equals(deadlineId)) {
                last = change;
            }
        }
        return Optional.ofNullable(last);
    }

    private static String changes(RunnerOutcome<?, ?> outcome) {
        if (outcome.deadlines().isEmpty()) {
            return "but the " + (outcome.timeStep() ? "commands fired" : "command") + " changed no deadline (" + outcome.runner() + ")\n";
        }
        StringBuilder text = new StringBuilder("but the deadline changes were (" + outcome.runner() + "):\n");
        for (int i = 0; i < outcome.deadlines().size(); i++) {
            text.append("  ").append(i + 1).append(". ").append(Render.deadlineChange(outcome.deadlines().get(i))).append('\n');
        }
        return text.toString();
    }

    private void requireTimeStep(String method) {
        if (!outcomes.get(0).timeStep()) {
            throw new FixtureConfigurationException(method + " expects what fired when time passed: call it after "
                    + "whenTimeAdvancesTo(…) or whenTimeAdvancesBy(…), not after a command");
        }
    }
}
