package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.Snapshot;

import java.time.Instant;

/** Handles the commands of one scenario, either as pure functions or through the real topology. */
public interface Runner<C, E, S> {

    /** "pure" or "topology", as shown in failure messages. */
    String name();

    /** Makes the aggregate start from this snapshot, before the first command. */
    void start(Snapshot<S> snapshot);

    /** Handles one command; a command id handled before is answered with its redelivery answer. */
    RunnerOutcome<E, S> handle(Command<C> command, Instant at);

    /** Lets time pass until {@code now}: the deadlines due by then fire, at {@code now}, and their commands are handled. */
    RunnerOutcome<E, S> advanceTo(Instant now);
}
