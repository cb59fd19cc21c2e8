package io.eventfold.testkit;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;

/**
 * Entry points of Eventfold's AssertJ assertions, for tests that handle results and events
 * themselves. Import statically beside AssertJ's own {@code assertThat}.
 *
 * <pre>{@code
 * import static io.eventfold.testkit.EventfoldAssertions.assertThat;
 *
 * assertThat(gateway.send(command).join()).isAccepted().hasVersion(1);
 * }</pre>
 */
public final class EventfoldAssertions {

    private EventfoldAssertions() {
    }

    /**
     * Starts assertions on a command result.
     *
     * @param result the result under test
     * @param <E> the event type
     * @param <S> the state type
     * @return the assertion
     */
    public static <E, S> CommandResultAssert<E, S> assertThat(CommandResult<E, S> result) {
        return new CommandResultAssert<>(result);
    }

    /**
     * Starts assertions on an event.
     *
     * @param event the event under test
     * @param <E> the event type
     * @return the assertion
     */
    public static <E> EventAssert<E> assertThat(Event<E> event) {
        return new EventAssert<>(event);
    }
}
