package io.eventfold.testkit;

import io.eventfold.core.Decision;
import io.eventfold.core.Rejection;
import io.eventfold.kafka.SnapshotsRebuildingException;

import java.util.Objects;

/**
 * The result a {@link ProcessManagerFixture} scenario gives a command its process manager sent:
 * accepted, rejected or failed, as the target aggregate would answer it. The manager's
 * {@link io.eventfold.core.ProcessManager#onResult onResult} receives it as a
 * {@link io.eventfold.core.CommandResult} of the command, at the target aggregate's version 0
 * and, when accepted, without events and with a stand-in for the target's state.
 *
 * <pre>{@code
 * fixture.given(new InvoiceSent("C-1", total))
 *        .whenResult(Reply.rejected("ACCOUNT_CLOSED", "account C-1 is closed"))
 *        .thenSends("C-1", new Alert("invoice-1", "ACCOUNT_CLOSED"));
 * }</pre>
 */
public final class Reply {

    private final Rejection rejection;
    private final RuntimeException failure;

    private Reply(Rejection rejection, RuntimeException failure) {
        this.rejection = rejection;
        this.failure = failure;
    }

    /**
     * The command was accepted.
     *
     * @return the reply
     */
    public static Reply accepted() {
        return new Reply(null, null);
    }

    /**
     * The target aggregate refused the command: a rejection is an input of the manager, not a crash.
     *
     * @param code the rejection's code
     * @param message the rejection's message
     * @return the reply
     */
    public static Reply rejected(String code, String message) {
        return new Reply(new Rejection(code, message), null);
    }

    /**
     * The target aggregate failed on the command, as if its code threw {@code failure}: the result's
     * error type is the exception's class name and its message the exception's.
     *
     * @param failure the exception, not a {@link SnapshotsRebuildingException} (a refusal the
     *     manager never sees: it sends the command again)
     * @return the reply
     */
    public static Reply failed(RuntimeException failure) {
        Objects.requireNonNull(failure, "failure must not be null");
        if (failure instanceof SnapshotsRebuildingException) {
            throw new FixtureConfigurationException("Reply.failed(SnapshotsRebuildingException): a refusal while the target "
                    + "rebuilds never reaches the manager, which sends the command again; reply with another exception");
        }
        return new Reply(null, failure);
    }

    /** The target's decision, as the stand-in target makes it on both runners. */
    <E> Decision<E> decide() {
        if (failure != null) {
            throw failure;
        }
        return rejection != null ? Decision.reject(rejection) : Decision.accept();
    }

    @Override
    public String toString() {
        if (failure != null) {
            return "failed " + failure.getClass().getName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        }
        return rejection != null ? "rejected " + rejection.code() + ": " + rejection.message() : "accepted";
    }
}
