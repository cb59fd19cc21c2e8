package io.eventfold.core;

import java.util.function.BiFunction;

/**
 * A workflow that spans aggregates, written as pure functions: from an event of one aggregate
 * type (and the manager's own state for that aggregate) to commands for aggregates of the same or
 * another type, and from the result of a command it sent to further commands.
 *
 * <p>The manager keeps one state per source aggregate (the aggregate whose events it reads).
 * The framework gives each command a command id derived from what triggered it, so a replay or a
 * retry is deduplicated by the target aggregate, and the triggering event's correlation id and
 * metadata, so the chain stays traceable: see {@link ProcessManagerEngine}.
 *
 * <pre>{@code
 * // Keeps each customer's account in step with the invoices sent to and paid by the customer;
 * // its state per invoice is the invoice's customer, learnt from InvoiceSent.
 * ProcessManager<InvoiceEvent, String, AccountCommand> accounts = ProcessManager.of("", (customer, event) -> {
 *     if (event.payload() instanceof InvoiceSent sent) {
 *         return Reaction.of(sent.customerId(), Send.to(sent.customerId(), new Charge(event.aggregateId(), sent.total())));
 *     }
 *     if (event.payload() instanceof InvoicePaid paid) {
 *         return Reaction.of(customer, Send.to(customer, new Credit(event.aggregateId(), paid.amount())));
 *     }
 *     return Reaction.of(customer);
 * });
 * }</pre>
 *
 * <p>Both functions must be pure, like an {@link Aggregate}'s: the framework calls them again on
 * replay. A rejected or failed command is an input to {@link #onResult}, never a crash; an
 * exception thrown by either function is reported by the engine and the input is passed over.
 *
 * @param <E> the event type of the source aggregate type
 * @param <S> the manager's state per source aggregate, immutable
 * @param <C> the command type of the target aggregate type
 */
public interface ProcessManager<E, S, C> {

    /**
     * The state for a source aggregate the manager has seen no event of.
     *
     * @return the initial state, never {@code null}
     */
    S initialState();

    /**
     * Reacts to one event of a source aggregate.
     *
     * @param state the manager's state for the event's aggregate, never {@code null}
     * @param event the event, with its aggregate id, version, correlation id and metadata
     * @return the new state and the commands to send; never {@code null}
     */
    Reaction<S, C> react(S state, Event<E> event);

    /**
     * Reacts to the result of a command this manager sent: accepted, rejected, a conflict or a
     * failure. By default it changes nothing.
     *
     * @param state the manager's state for the source aggregate that triggered the command
     * @param sent the command as it was sent
     * @param result its result, of the target aggregate type
     * @return the new state and the commands to send; never {@code null}
     */
    default Reaction<S, C> onResult(S state, Command<C> sent, CommandResult<?, ?> result) {
        return Reaction.of(state);
    }

    /**
     * Builds a manager that reacts to events only.
     *
     * @param initialState the state for an aggregate not seen yet
     * @param react the reaction to an event, see {@link #react}
     * @param <E> the source event type
     * @param <S> the state type
     * @param <C> the target command type
     * @return a manager that delegates to the function
     */
    static <E, S, C> ProcessManager<E, S, C> of(S initialState, BiFunction<? super S, Event<E>, Reaction<S, C>> react) {
        Checks.notNull(initialState, "initialState");
        Checks.notNull(react, "react");
        return new ProcessManager<>() {
            @Override
            public S initialState() {
                return initialState;
            }

            @Override
            public Reaction<S, C> react(S state, Event<E> event) {
                return react.apply(state, event);
            }
        };
    }
}
