package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.Decision;
import io.eventfold.core.Event;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** Runs the inputs of one process manager scenario, either as pure functions or through the real topology. */
public interface ProcessRunner<E, S, C> {

    /** "pure" or "topology", as shown in failure messages. */
    String name();

    /**
     * Hands the manager an event of its source type.
     *
     * @param awaiting the commands that will await a result after it (the pure runner's), whose
     *     expected versions the stand-in target takes
     */
    ProcessOutcome<S, C> onEvent(Event<E> event, Instant at, List<Awaiting<C>> awaiting);

    /**
     * Gives a command the manager sent its result: the stand-in target answers it with {@code decision}.
     *
     * @param awaiting as for {@link #onEvent}
     */
    ProcessOutcome<S, C> onResult(Awaiting<C> answered, Supplier<Decision<Object>> decision, Instant at, List<Awaiting<C>> awaiting);

    /**
     * A command sent and awaiting its result.
     *
     * @param sourceAggregateId the source aggregate whose event or result made the manager send it
     * @param command the command as sent
     */
    record Awaiting<C>(String sourceAggregateId, Command<C> command) {
    }
}
