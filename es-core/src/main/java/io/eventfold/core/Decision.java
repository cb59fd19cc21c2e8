package io.eventfold.core;

import java.time.Instant;
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
 * return Decision.accept(new InvoicePaid(command.amount())).cancel("overdue");
 * }</pre>
 *
 * <p>An accepted decision may also {@linkplain Accepted#schedule schedule} a command for later
 * and {@linkplain Accepted#cancel cancel} one, see {@link DeadlineChange}; such a decision must
 * record at least one event, so that the event log says why the deadline exists.
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
    static <E> Accepted<E> accept(E... events) {
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
    static <E> Accepted<E> accept(List<? extends E> events) {
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
     * The command is accepted and produces these events, and may change the aggregate's deadlines.
     *
     * @param events the new events in order, unmodifiable; empty for a command that changes nothing
     * @param deadlines the deadline changes, applied in order after the events; unmodifiable
     * @param <E> the event type
     */
    record Accepted<E>(List<E> events, List<DeadlineChange> deadlines) implements Decision<E> {

        /**
         * Copies the events and deadline changes into unmodifiable lists.
         *
         * @param events the new events in order; empty for a command that changes nothing
         * @param deadlines the deadline changes in order
         * @throws NullPointerException if a list or any element is {@code null}
         */
        public Accepted {
            events = copy(events, "events");
            deadlines = copy(deadlines, "deadlines");
        }

        /**
         * Accepts with events and no deadline change.
         *
         * @param events the new events in order; empty for a command that changes nothing
         * @throws NullPointerException if {@code events} or any event is {@code null}
         */
        public Accepted(List<E> events) {
            this(events, List.of());
        }

        /**
         * Also schedules {@code command} for this aggregate at {@code dueAt}, replacing a deadline of the same id.
         *
         * <pre>{@code
         * return Decision.accept(new InvoiceSent(dueAt)).schedule("overdue", dueAt, new MarkOverdue());
         * }</pre>
         *
         * @param deadlineId the deadline's name within the aggregate: 1 to
         *     {@value DeadlineChange#MAX_ID_LENGTH} characters of {@code [A-Za-z0-9._-]} starting with a letter or digit
         * @param dueAt when the command is sent
         * @param command a command of the aggregate's own command type
         * @return a copy of this decision with the deadline added
         * @throws NullPointerException if an argument is {@code null}
         * @throws IllegalArgumentException if the id is not a valid deadline id
         */
        public Accepted<E> schedule(String deadlineId, Instant dueAt, Object command) {
            return with(new DeadlineChange.Schedule(deadlineId, dueAt, command));
        }

        /**
         * Also cancels the deadline of this id, if one is scheduled and has not fired.
         *
         * @param deadlineId the deadline's name within the aggregate
         * @return a copy of this decision with the cancellation added
         * @throws NullPointerException if the id is {@code null}
         * @throws IllegalArgumentException if the id is not a valid deadline id
         */
        public Accepted<E> cancel(String deadlineId) {
            return with(new DeadlineChange.Cancel(deadlineId));
        }

        private Accepted<E> with(DeadlineChange change) {
            List<DeadlineChange> changes = new ArrayList<>(deadlines);
            changes.add(change);
            return new Accepted<>(events, changes);
        }

        private static <T> List<T> copy(List<T> list, String name) {
            Checks.notNull(list, name);
            for (int i = 0; i < list.size(); i++) {
                Checks.notNull(list.get(i), name + "[" + i + "]");
            }
            return List.copyOf(list);
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
