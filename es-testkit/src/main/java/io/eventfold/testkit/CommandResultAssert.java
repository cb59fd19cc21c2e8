package io.eventfold.testkit;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.testkit.internal.ErrorTypes;
import io.eventfold.testkit.internal.Render;
import org.assertj.core.api.AbstractAssert;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * AssertJ assertions on a {@link CommandResult}, for tests that drive the topology or a
 * {@code CommandGateway} themselves. Obtain one with {@link EventfoldAssertions#assertThat(CommandResult)}.
 *
 * <pre>{@code
 * assertThat(result).isRejectedWith("INVOICE_ALREADY_PAID").hasVersion(4);
 * assertThat(result).isAccepted().hasEventPayloads(new InvoiceSent());
 * }</pre>
 *
 * @param <E> the event type
 * @param <S> the state type
 */
public class CommandResultAssert<E, S> extends AbstractAssert<CommandResultAssert<E, S>, CommandResult<E, S>> {

    /**
     * Creates an assertion on a result; prefer {@link EventfoldAssertions#assertThat(CommandResult)}.
     *
     * @param actual the result under test
     */
    public CommandResultAssert(CommandResult<E, S> actual) {
        super(actual, CommandResultAssert.class);
    }

    /**
     * Verifies that the command was accepted.
     *
     * @return this assertion
     */
    public CommandResultAssert<E, S> isAccepted() {
        return isKind(CommandResult.Kind.ACCEPTED);
    }

    /**
     * Verifies that the command was rejected, whatever the code.
     *
     * @return this assertion
     */
    public CommandResultAssert<E, S> isRejected() {
        return isKind(CommandResult.Kind.REJECTED);
    }

    /**
     * Verifies that the command was rejected with this code.
     *
     * @param code the expected rejection code
     * @return this assertion
     */
    public CommandResultAssert<E, S> isRejectedWith(String code) {
        isRejected();
        String actualCode = ((CommandResult.Rejected<E, S>) actual).rejection().code();
        if (!actualCode.equals(code)) {
            failWithActualExpectedAndMessage(actualCode, code,
                    "%nExpecting rejection code of command %s:%n  %s%nto be:%n  %s", actual.commandId(), actualCode, code);
        }
        return this;
    }

    /**
     * Verifies that the command met a version conflict.
     *
     * @return this assertion
     */
    public CommandResultAssert<E, S> isConflict() {
        return isKind(CommandResult.Kind.CONFLICT);
    }

    /**
     * Verifies that the command failed.
     *
     * @return this assertion
     */
    public CommandResultAssert<E, S> isFailed() {
        return isKind(CommandResult.Kind.FAILED);
    }

    /**
     * Verifies that the command failed with this error type or a subtype of it.
     *
     * @param errorType the expected exception class
     * @return this assertion
     */
    public CommandResultAssert<E, S> isFailedWith(Class<? extends Throwable> errorType) {
        isFailed();
        String actualType = ((CommandResult.Failed<E, S>) actual).errorType();
        if (!ErrorTypes.isA(actualType, errorType)) {
            failWithActualExpectedAndMessage(actualType, errorType.getName(),
                    "%nExpecting error type of command %s:%n  %s%nto be:%n  %s", actual.commandId(), actualType, errorType.getName());
        }
        return this;
    }

    /**
     * Verifies the aggregate version carried by the result.
     *
     * @param version the expected version
     * @return this assertion
     */
    public CommandResultAssert<E, S> hasVersion(long version) {
        isNotNull();
        if (actual.version() != version) {
            failWithActualExpectedAndMessage(actual.version(), version,
                    "%nExpecting version after command %s:%n  %s%nto be:%n  %s", actual.commandId(), actual.version(), version);
        }
        return this;
    }

    /**
     * Verifies that the command was accepted with exactly these event payloads, in order.
     *
     * @param payloads the expected payloads
     * @return this assertion
     */
    @SafeVarargs
    public final CommandResultAssert<E, S> hasEventPayloads(E... payloads) {
        List<E> actualPayloads = acceptedNow().events().stream().map(Event::payload).toList();
        List<E> expected = Arrays.asList(payloads);
        if (!actualPayloads.equals(expected)) {
            failWithActualExpectedAndMessage(actualPayloads, expected,
                    "%nExpecting events of command %s:%n  %s%nto be:%n  %s", actual.commandId(), actualPayloads, expected);
        }
        return this;
    }

    /**
     * Verifies that the command was accepted and left the aggregate in this state. The result
     * must carry the state: from a gateway built with {@code resultsWithState(true)} (as
     * {@code EventfoldKafka}'s are), or from the pure engine.
     *
     * @param state the expected state
     * @return this assertion
     */
    public CommandResultAssert<E, S> hasState(S state) {
        CommandResult.Accepted<E, S> accepted = acceptedNow();
        if (accepted.state().isEmpty()) {
            failWithMessage("%nExpecting state after command %s:%n  %s%nbut the result carries no state: build the gateway"
                    + " with resultsWithState(true)", actual.commandId(), state);
        }
        S actualState = accepted.state().get();
        if (!Objects.equals(actualState, state)) {
            failWithActualExpectedAndMessage(actualState, state,
                    "%nExpecting state after command %s:%n  %s%nto be:%n  %s", actual.commandId(), actualState, state);
        }
        return this;
    }

    private CommandResultAssert<E, S> isKind(CommandResult.Kind kind) {
        isNotNull();
        if (actual.kind() != kind) {
            failWithActualExpectedAndMessage(actual.kind(), kind,
                    "%nExpecting command %s for aggregate %s:%n  %s%nto be %s", actual.commandId(), actual.aggregateId(),
                    Render.result(actual), kind.name().toLowerCase(java.util.Locale.ROOT));
        }
        return this;
    }

    /** The result as accepted now, with its events and state; a redelivery answer carries neither. */
    private CommandResult.Accepted<E, S> acceptedNow() {
        isAccepted();
        if (actual instanceof CommandResult.AlreadyAccepted<E, S> earlier) {
            failWithMessage("%nExpecting command %s to carry its events and state, but it is the answer to a redelivery:"
                    + " accepted before at version %s with %s event(s), answered from memory without them",
                    earlier.commandId(), earlier.version(), earlier.eventCount());
        }
        return (CommandResult.Accepted<E, S>) actual;
    }
}
