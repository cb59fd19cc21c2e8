package io.eventfold.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The answer of {@link Aggregate#decide}: either the events a command produces, or a
 * {@link Rejection}. A business "no" is a value, never an exception.
 *
 * <pre>{@code
 * if (state.status() == PAID) {
 *     return Decision.reject("INVOICE_ALREADY_PAID", "invoice " + state.id() + " is already paid");
 * }
 * return Decision.accept(new InvoicePaid(command.amount()));
 * }</pre>
 *
 * @param <E> the event type
 */
public sealed interface Decision<E> permits Decision.Accepted, Decision.Rejected {

    /**
     * Accepts a command with the given events, in order.
     *
     * @param events the events; none at all means the command is accepted but changes nothing
     * @param <E> the event type
     * @return an accepted decision
     * @throws NullPointerException if {@code events} or any event is {@code null}
     */
    @SafeVarargs
    static <E> Decision<E> accept(E... events) {
        Checks.notNull(events, "events");
        List<E> list = new ArrayList<>(events.length);
        Collections.addAll(list, events);
        return new Accepted<>(list);
    }

    /**
     * Accepts a command with the given events, in order.
     *
     * @param events the events; an empty list means the command is accepted but changes nothing
     * @param <E> the event type
     * @return an accepted decision
     * @throws NullPointerException if {@code events} or any event is {@code null}
     */
    static <E> Decision<E> accept(List<? extends E> events) {
        return new Accepted<>(new ArrayList<E>(Checks.notNull(events, "events")));
    }

    /**
     * Rejects a command.
     *
     * @param code a stable, machine-readable reason, see {@link Rejection#code()}
     * @param message a human-readable explanation
     * @param <E> the event type
     * @return a rejected decision
     */
    static <E> Decision<E> reject(String code, String message) {
        return new Rejected<>(new Rejection(code, message));
    }

    /**
     * Rejects a command.
     *
     * @param rejection why the command was refused
     * @param <E> the event type
     * @return a rejected decision
     */
    static <E> Decision<E> reject(Rejection rejection) {
        return new Rejected<>(rejection);
    }

    /**
     * The command is accepted and produces these events.
     *
     * @param events the new events in order, unmodifiable; empty for a command that changes nothing
     * @param <E> the event type
     */
    record Accepted<E>(List<E> events) implements Decision<E> {

        /**
         * Copies the events into an unmodifiable list.
         *
         * @param events the new events in order, unmodifiable; empty for a command that changes nothing
         * @throws NullPointerException if {@code events} or any event is {@code null}
         */
        public Accepted {
            Checks.notNull(events, "events");
            for (int i = 0; i < events.size(); i++) {
                Checks.notNull(events.get(i), "events[" + i + "]");
            }
            events = List.copyOf(events);
        }
    }

    /**
     * The command is refused by a business rule and produces no events.
     *
     * @param rejection why the command was refused
     * @param <E> the event type
     */
    record Rejected<E>(Rejection rejection) implements Decision<E> {

        /**
         * Validates the rejection.
         *
         * @param rejection why the command was refused
         * @throws NullPointerException if {@code rejection} is {@code null}
         */
        public Rejected {
            Checks.notNull(rejection, "rejection");
        }
    }
}
