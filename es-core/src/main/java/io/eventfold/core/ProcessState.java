package io.eventfold.core;

/**
 * Where a {@link ProcessManager} stands with one source aggregate: its state, the last event
 * version it handled (an event at or below it is a replay and is passed over) and how many results
 * it has handled (the sequence number that makes the ids of the commands it sends in reply unique).
 *
 * <pre>{@code
 * ProcessState<String> start = ProcessState.initial(manager);
 * ProcessManagerEngine.Step<String, AccountCommand> step = engine.onEvent(start, invoiceSent);
 * }</pre>
 *
 * @param lastVersion the version of the last event of the source aggregate handled; 0 before the first
 * @param resultsSeen how many results of its commands the manager has handled for this aggregate
 * @param state the manager's state; not {@code null}
 * @param <S> the manager's state type
 */
public record ProcessState<S>(long lastVersion, long resultsSeen, S state) {

    /**
     * Validates the components.
     *
     * @param lastVersion the version of the last event handled, at least 0
     * @param resultsSeen how many results were handled, at least 0
     * @param state the manager's state; not {@code null}
     * @throws NullPointerException if {@code state} is {@code null}
     * @throws IllegalArgumentException if a count is negative
     */
    public ProcessState {
        Checks.atLeast(lastVersion, 0, "lastVersion");
        Checks.atLeast(resultsSeen, 0, "resultsSeen");
        Checks.notNull(state, "state");
    }

    /**
     * The position of a manager before a source aggregate's first event.
     *
     * @param manager the manager
     * @param <S> its state type
     * @return version 0, no result, the manager's initial state
     */
    public static <S> ProcessState<S> initial(ProcessManager<?, S, ?> manager) {
        return new ProcessState<>(0, 0, Checks.notNull(manager.initialState(), "initialState()"));
    }
}
