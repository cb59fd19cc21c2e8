package io.eventfold.testkit;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Rejection;
import io.eventfold.testkit.internal.Diff;
import io.eventfold.testkit.internal.ErrorTypes;
import io.eventfold.testkit.internal.EveryEvent;
import io.eventfold.testkit.internal.Failures;
import io.eventfold.testkit.internal.Mismatch;
import io.eventfold.testkit.internal.Render;
import io.eventfold.testkit.internal.RunnerOutcome;
import io.eventfold.testkit.internal.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Expectations on the outcome of one command. Each expectation must hold for every runner; a
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
    private final String story;

    Then(Scenario<C, E, S> scenario, List<RunnerOutcome<E, S>> outcomes, String story) {
        this.scenario = scenario;
        this.outcomes = outcomes;
        this.story = story;
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
                outcome -> requirements.accept(((CommandResult.Rejected<E, S>) outcome.result()).rejection()));
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
        return satisfy("the result does not satisfy the requirements", false, outcome -> requirements.accept(outcome.result()));
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
     * @return the command's result
     */
    public CommandResult<E, S> result() {
        return outcomes.get(0).result();
    }

    // ---------------------------------------------------------------------------------------

    private Then<C, E, S> expectResult(String title, String expected, boolean wantsSuccess,
                                       Function<CommandResult<E, S>, Boolean> matches) {
        return expect(title, wantsSuccess, outcome -> matches.apply(outcome.result()) ? Optional.empty()
                : Optional.of(new Mismatch(expected, Render.result(outcome.result()), "Expecting result:\n  "
                        + Render.result(outcome.result()) + "\nto be:\n  " + expected + "\n")));
    }

    private Then<C, E, S> satisfy(String title, boolean wantsSuccess, Consumer<RunnerOutcome<E, S>> requirements) {
        List<String> verdicts = new ArrayList<>();
        AssertionError first = null;
        RunnerOutcome<E, S> failed = null;
        for (RunnerOutcome<E, S> outcome : outcomes) {
            try {
                requirements.accept(outcome);
                verdicts.add(outcome.runner() + " ✔");
            } catch (AssertionError | ClassCastException e) {
                verdicts.add(outcome.runner() + " ✘");
                if (first == null) {
                    first = e instanceof AssertionError assertion ? assertion : new AssertionError(e.toString(), e);
                    failed = outcome;
                }
            }
        }
        if (first != null) {
            String message = title + " " + markers(verdicts) + "\n\n" + story + "\n" + failed.runner() + " runner: "
                    + String.valueOf(first.getMessage()).strip() + "\n" + probableCause(failed, wantsSuccess);
            AssertionError error = first instanceof org.opentest4j.AssertionFailedError original && original.isExpectedDefined()
                    ? Failures.failure(message, original.getExpected().getValue(), original.getActual().getValue())
                    : Failures.failure(message);
            error.initCause(first);
            throw error;
        }
        return this;
    }

    private Then<C, E, S> expect(String title, boolean wantsSuccess, Function<RunnerOutcome<E, S>, Optional<Mismatch>> check) {
        List<String> verdicts = new ArrayList<>();
        List<RunnerOutcome<E, S>> failedOutcomes = new ArrayList<>();
        List<Mismatch> mismatches = new ArrayList<>();
        for (RunnerOutcome<E, S> outcome : outcomes) {
            Optional<Mismatch> mismatch = check.apply(outcome);
            verdicts.add(outcome.runner() + (mismatch.isPresent() ? " ✘" : " ✔"));
            mismatch.ifPresent(m -> {
                failedOutcomes.add(outcome);
                mismatches.add(m);
            });
        }
        if (mismatches.isEmpty()) {
            return this;
        }
        StringBuilder message = new StringBuilder(title).append(' ').append(markers(verdicts)).append("\n\n").append(story).append('\n');
        message.append(mismatches.get(0).details());
        for (int i = 1; i < mismatches.size(); i++) {
            if (!Objects.equals(mismatches.get(i).actual(), mismatches.get(0).actual())) {
                message.append('\n').append(mismatches.get(i).details());
            }
        }
        message.append(probableCause(failedOutcomes.get(0), wantsSuccess));
        throw Failures.failure(message.toString(), mismatches.get(0).expected(), mismatches.get(0).actual());
    }

    private static String markers(List<String> verdicts) {
        return "[" + String.join(" | ", verdicts) + "]";
    }

    /** When the test expected success but the command did not succeed, that is the likeliest reason. */
    private String probableCause(RunnerOutcome<E, S> outcome, boolean wantsSuccess) {
        CommandResult<E, S> result = outcome.result();
        if (!wantsSuccess || result.kind() == CommandResult.Kind.ACCEPTED) {
            return "";
        }
        return "\nProbable cause: the command was " + Render.result(result) + "\n";
    }
}
