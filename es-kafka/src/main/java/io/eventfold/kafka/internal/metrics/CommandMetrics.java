package io.eventfold.kafka.internal.metrics;

import io.eventfold.core.CommandResult;

/**
 * What the command processor of one aggregate type counts. {@link #NONE} without a meter
 * registry, so the processor calls it unconditionally and pays nothing.
 */
public interface CommandMetrics {

    /** Counts nothing. */
    CommandMetrics NONE = new CommandMetrics() {
    };

    /**
     * A command answered now (not from the command-id store).
     *
     * @param kind its result's kind
     */
    default void answered(CommandResult.Kind kind) {
    }

    /** A command answered with its remembered result. */
    default void duplicate() {
    }

    /**
     * Events appended by one command.
     *
     * @param count how many
     */
    default void appended(int count) {
    }

    /** A command record sent to the dead letters. */
    default void deadLettered() {
    }

    /**
     * A deadline change.
     *
     * @param change what happened to it
     */
    default void deadline(DeadlineMeter change) {
    }

    /**
     * The time one command record took.
     *
     * @param nanos how long, in nanoseconds
     */
    default void handled(long nanos) {
    }

    /** What happens to deadlines, as counted. */
    enum DeadlineMeter {
        /** A decision scheduled (or rescheduled) it. */
        SCHEDULED,
        /** A decision cancelled it. */
        CANCELLED,
        /** It was due and its command was sent. */
        FIRED
    }
}
