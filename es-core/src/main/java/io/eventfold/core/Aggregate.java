package io.eventfold.core;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The behaviour of one kind of domain object, written as three pure functions.
 *
 * <p>{@link #decide} turns a command and the current state into a {@link Decision}: the events
 * that record what happened, or a {@link Rejection} when a business rule says no. {@link #evolve}
 * applies one event to a state. The current state of an aggregate is always the
 * {@linkplain #replay replay} of its events, so the events are the single source of truth.
 *
 * <pre>{@code
 * Aggregate<CounterCommand, CounterEvent, Integer> counter = Aggregate.of(
 *     0,
 *     (command, count) -> count + command.amount() > 10
 *         ? Decision.reject("LIMIT_EXCEEDED", "a counter never exceeds 10")
 *         : Decision.accept(new Incremented(command.amount())),
 *     (count, event) -> count + event.amount());
 *
 * counter.replay(List.of(new Incremented(2), new Incremented(3))); // 5
 * }</pre>
 *
 * <p>Both functions must be pure: no I/O, no clock, no randomness, no mutation of their
 * arguments. The framework calls them on replay, in tests and on every instance that restores
 * state, and relies on getting the same answer each time. Neither may return {@code null};
 * {@code evolve} must accept every event type that {@code decide} can produce.
 *
 * @param <C> the command type, usually a sealed interface of records
 * @param <E> the event type, usually a sealed interface of records
 * @param <S> the state type, immutable
 */
public interface Aggregate<C, E, S> {

    /**
     * Returns the state of an aggregate that has no events yet (version 0).
     *
     * @return the initial state, never {@code null}
     */
    S initialState();

    /**
     * Decides what a command means for the given state.
     *
     * @param command the command to handle, never {@code null}
     * @param state the current state, never {@code null}
     * @return the decision: accepted with zero or more events, or rejected; never {@code null}
     */
    Decision<E> decide(C command, S state);

    /**
     * Applies one event to a state.
     *
     * @param state the state before the event, never {@code null}
     * @param event the event to apply, never {@code null}
     * @return the state after the event, never {@code null}
     */
    S evolve(S state, E event);

    /**
     * Applies events in order to a state.
     *
     * @param state the state to start from
     * @param events the events to apply, in order
     * @return the state after the last event, or {@code state} when there are none
     */
    default S fold(S state, Iterable<? extends E> events) {
        S current = state;
        for (E event : events) {
            current = evolve(current, event);
        }
        return current;
    }

    /**
     * Rebuilds a state from all of an aggregate's events, starting at {@link #initialState()}.
     *
     * @param events every event of one aggregate, in version order
     * @return the current state
     */
    default S replay(Iterable<? extends E> events) {
        return fold(initialState(), events);
    }

    /**
     * Builds an aggregate from an initial state and two functions.
     *
     * @param initialState the state at version 0, never {@code null}
     * @param decide the decision function, see {@link #decide}
     * @param evolve the evolution function, see {@link #evolve}
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return an aggregate that delegates to the given functions
     */
    static <C, E, S> Aggregate<C, E, S> of(
            S initialState,
            BiFunction<? super C, ? super S, Decision<E>> decide,
            BiFunction<? super S, ? super E, ? extends S> evolve) {
        Objects.requireNonNull(initialState, "initialState must not be null");
        Objects.requireNonNull(decide, "decide must not be null");
        Objects.requireNonNull(evolve, "evolve must not be null");
        return new Aggregate<>() {
            @Override
            public S initialState() {
                return initialState;
            }

            @Override
            public Decision<E> decide(C command, S state) {
                return decide.apply(command, state);
            }

            @Override
            public S evolve(S state, E event) {
                return evolve.apply(state, event);
            }
        };
    }
}
