package io.eventfold.kafka.internal.metrics;

import io.eventfold.core.CommandResult;

/** What a process manager counts; {@link #NONE} without a meter registry. */
public interface ManagerMetrics {

    /** Counts nothing. */
    ManagerMetrics NONE = new ManagerMetrics() {
    };

    /**
     * Commands sent.
     *
     * @param count how many
     * @param resend whether they are sent again after a refusal while the target rebuilt
     */
    default void sent(int count, boolean resend) {
    }

    /**
     * A result of one of its commands arrived.
     *
     * @param kind its kind
     */
    default void result(CommandResult.Kind kind) {
    }

    /** An input sent to the manager's dead letters. */
    default void deadLettered() {
    }
}
