package io.eventfold.testkit;

import io.eventfold.core.Command;
import io.eventfold.testkit.internal.Diff;
import io.eventfold.testkit.internal.ErrorTypes;
import io.eventfold.testkit.internal.Mismatch;
import io.eventfold.testkit.internal.ProcessLog;
import io.eventfold.testkit.internal.ProcessOutcome;
import io.eventfold.testkit.internal.Render;
import io.eventfold.testkit.internal.Table;
import io.eventfold.testkit.internal.Verdicts;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Expectations on what a process manager did with one input: the commands it sent, its state,
 * a failure. Each expectation must hold for every runner; a failure names the runners that missed
 * it ({@code [pure ✔ | topology ✘]}), shows the scenario and explains the difference. Chain as
 * many as you like, then {@link #and()} for the next input.
 *
 * <pre>{@code
 * fixture.given(created, sent)
 *        .when(new InvoicePaid(total))
 *        .thenSends("C-1", new Credit("invoice-1", total))
 *        .thenState(state -> assertThat(state.paid()).isTrue());
 * }</pre>
 *
 * @param <E> the source event type
 * @param <S> the manager's state type
 * @param <C> the target command type
 */
public final class ProcessThen<E, S, C> {

    private final ProcessScenario<E, S, C> scenario;
    private final List<ProcessOutcome<S, C>> outcomes;
    private final Verdicts<ProcessOutcome<S, C>> verdicts;

    ProcessThen(ProcessScenario<E, S, C> scenario, List<ProcessOutcome<S, C>> outcomes, String story) {
        this.scenario = scenario;
        this.outcomes = outcomes;
        this.verdicts = new Verdicts<>(outcomes, ProcessOutcome::runner, story);
    }

    /**
     * Expects the manager to have sent exactly these commands, in this order, all to one target aggregate.
     *
     * @param aggregateId the target aggregate
     * @param commands the commands' payloads
     * @return this stage
     */
    @SafeVarargs
    public final ProcessThen<E, S, C> thenSends(String aggregateId, C... commands) {
        Objects.requireNonNull(aggregateId, "aggregateId must not be null");
        List<To> expected = Arrays.stream(commands).map(command -> new To(command, aggregateId)).toList();
        return expectSent("sent commands mismatch", expected, !expected.isEmpty());
    }

    /**
     * Expects the manager to have sent no command.
     *
     * @return this stage
     */
    public ProcessThen<E, S, C> thenSendsNothing() {
        return expectSent("expected no command to be sent", List.of(), false);
    }

    /**
     * Runs your own assertions on the commands sent, with their ids, expected versions,
     * correlation ids and metadata.
     *
     * <pre>{@code
     * then.thenCommands(commands -> assertThat(commands).extracting(Command::commandId)
     *         .containsExactly("invoice-accounts/invoice/invoice-1/2/0"));
     * }</pre>
     *
     * @param requirements assertions, for instance AssertJ's
     * @return this stage
     */
    public ProcessThen<E, S, C> thenCommands(Consumer<List<Command<C>>> requirements) {
        Objects.requireNonNull(requirements, "requirements must not be null");
        verdicts.satisfy("the commands sent do not satisfy the requirements", outcome -> requirements.accept(outcome.sent()),
                this::probableCause);
        return this;
    }

    /**
     * Expects the manager's state for the source aggregate after the input to equal this one.
     *
     * @param expected the expected state
     * @return this stage
     */
    public ProcessThen<E, S, C> thenState(S expected) {
        verdicts.expect("state mismatch", outcome -> Objects.equals(expected, outcome.state().state()) ? Optional.empty()
                : Optional.of(new Mismatch(expected, outcome.state().state(), "Expecting state:\n  "
                        + Render.value(outcome.state().state()) + "\nto be:\n  " + Render.value(expected) + "\n"
                        + Diff.firstDifference("state", expected, outcome.state().state())
                                .map(d -> "\nFirst difference: " + d + "\n").orElse(""))), this::probableCause);
        return this;
    }

    /**
     * Runs your own assertions on the manager's state for the source aggregate after the input.
     *
     * @param requirements assertions, for instance AssertJ's
     * @return this stage
     */
    public ProcessThen<E, S, C> thenState(Consumer<S> requirements) {
        Objects.requireNonNull(requirements, "requirements must not be null");
        verdicts.satisfy("the state does not satisfy the requirements", outcome -> requirements.accept(outcome.state().state()),
                this::probableCause);
        return this;
    }

    /**
     * Expects the manager to have thrown this exception type (or a subtype), or returned
     * {@code null} ({@link NullPointerException}), on the input: it sent nothing, kept its state,
     * and counts the input as handled.
     *
     * @param errorType the expected exception class
     * @return this stage
     */
    public ProcessThen<E, S, C> thenFailed(Class<? extends Throwable> errorType) {
        Objects.requireNonNull(errorType, "errorType must not be null");
        verdicts.expect("expected the manager to fail with " + errorType.getName(), outcome ->
                outcome.failed() && ErrorTypes.isA(outcome.errorType(), errorType) ? Optional.empty()
                        : Optional.of(new Mismatch(errorType.getName(), reaction(outcome), "Expecting the manager to fail with:\n  "
                                + errorType.getName() + "\nbut it " + reaction(outcome) + " (" + outcome.runner() + ")\n")),
                outcome -> "");
        return this;
    }

    /**
     * Expects the event to have been passed over as one the manager handled before: at or below
     * the last version it handled for its aggregate.
     *
     * @return this stage
     */
    public ProcessThen<E, S, C> thenPassedOver() {
        verdicts.expect("expected the event to be passed over", outcome -> outcome.replayed() ? Optional.empty()
                : Optional.of(new Mismatch("passed over", reaction(outcome), "Expecting the event to be passed over as handled before\n"
                        + "but the manager " + reaction(outcome) + " (" + outcome.runner() + ")\n")), outcome -> "");
        return this;
    }

    /**
     * Continues the same scenario with another input.
     *
     * @return the scenario, for the next {@code when}
     */
    public ProcessScenario<E, S, C> and() {
        return scenario;
    }

    /**
     * The commands the pure runner sent, for assertions this class does not offer.
     *
     * @return the commands sent, with their ids
     */
    public List<Command<C>> commands() {
        return outcomes.get(0).sent();
    }

    /** A command as the expectations compare it: its payload and target; its ids are checked with {@link #thenCommands}. */
    private record To(Object payload, String aggregateId) {
        @Override
        public String toString() {
            return Render.value(payload) + " to " + aggregateId;
        }
    }

    private ProcessThen<E, S, C> expectSent(String title, List<To> expected, boolean wantsCommands) {
        Function<ProcessOutcome<S, C>, String> cause = outcome -> wantsCommands ? probableCause(outcome) : "";
        verdicts.expect(title, outcome -> {
            List<To> actual = outcome.sent().stream().map(command -> new To(command.payload(), command.aggregateId())).toList();
            if (expected.equals(actual)) {
                return Optional.empty();
            }
            return Optional.of(new Mismatch(expected, actual, "Expecting commands:\n"
                    + Table.of(expected, actual, "actual (" + outcome.runner() + ")")
                    + Diff.firstDifference("commands", expected, actual).map(d -> "\nFirst difference: " + d + "\n").orElse("")));
        }, cause);
        return this;
    }

    /** When the test expected commands or a state but the manager did not react, that is the likeliest reason. */
    private String probableCause(ProcessOutcome<S, C> outcome) {
        if (outcome.failed() || outcome.replayed()) {
            return "\nProbable cause: the manager " + reaction(outcome) + "\n";
        }
        return "";
    }

    private static String reaction(ProcessOutcome<?, ?> outcome) {
        if (outcome.replayed()) {
            return "passed the event over as handled before (it is at version " + outcome.state().lastVersion() + ")";
        }
        if (outcome.failed()) {
            return "failed: " + outcome.errorType() + (outcome.message() == null || outcome.message().isEmpty() ? "" : ": " + outcome.message());
        }
        return outcome.sent().isEmpty() ? "sent nothing" : "sent " + outcome.sent().size() + " command(s): "
                + outcome.sent().stream().map(ProcessLog::sent).toList();
    }
}
