package io.eventfold.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>An accepted decision may also {@linkplain #schedule schedule} a command for later and
 * {@linkplain #cancel cancel} one, see {@link DeadlineChange}: name the deadline changes first,
 * then accept with the events (so the event type is inferred from the method's return type).
 * Such a decision must record at least one event, so that the event log says why the deadline exists.
 *
 * <pre>{@code
 * return Decision.schedule("overdue", invoice.overdueAt(), new MarkOverdue()).accept(new InvoiceSent());
 * return Decision.cancel("overdue").accept(new InvoicePaid(command.amount()));
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
     * Starts an accepted decision that schedules {@code command} for this aggregate at
     * {@code dueAt}, replacing a deadline of the same id; finish it with {@link WithDeadlines#accept}.
     *
     * <pre>{@code
     * return Decision.schedule("overdue", invoice.overdueAt(), new MarkOverdue()).accept(new InvoiceSent());
     * }</pre>
     *
     * @param deadlineId the deadline's name within the aggregate: 1 to
     *     {@value DeadlineChange#MAX_ID_LENGTH} characters of {@code [A-Za-z0-9._-]} starting with a letter or digit
     * @param dueAt when the command is sent
     * @param command a command of the aggregate's own command type
     * @return the deadline changes so far
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if the id is not a valid deadline id
     */
    static WithDeadlines schedule(String deadlineId, Instant dueAt, Object command) {
        return new WithDeadlines(List.of()).schedule(deadlineId, dueAt, command);
    }

    /**
     * Starts an accepted decision that cancels the deadline of this id, if one is scheduled and
     * has not fired; finish it with {@link WithDeadlines#accept}.
     *
     * <pre>{@code
     * return Decision.cancel("overdue").accept(new InvoicePaid(command.amount()));
     * }</pre>
     *
     * @param deadlineId the deadline's name within the aggregate
     * @return the deadline changes so far
     * @throws NullPointerException if the id is {@code null}
     * @throws IllegalArgumentException if the id is not a valid deadline id
     */
    static WithDeadlines cancel(String deadlineId) {
        return new WithDeadlines(List.of()).cancel(deadlineId);
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

    /**
     * The deadline changes of a decision being built, applied in order; {@link #accept} makes the decision.
     *
     * <pre>{@code
     * return Decision.cancel("reminder").schedule("overdue", dueAt, new MarkOverdue()).accept(new InvoiceSent());
     * }</pre>
     */
    final class WithDeadlines {

        private final List<DeadlineChange> changes;

        private WithDeadlines(List<DeadlineChange> changes) {
            this.changes = changes;
        }

        /**
         * Also schedules {@code command} for this aggregate at {@code dueAt}, replacing a deadline of the same id.
         *
         * @param deadlineId the deadline's name within the aggregate
         * @param dueAt when the command is sent
         * @param command a command of the aggregate's own command type
         * @return the deadline changes so far
         * @throws NullPointerException if an argument is {@code null}
         * @throws IllegalArgumentException if the id is not a valid deadline id
         */
        public WithDeadlines schedule(String deadlineId, Instant dueAt, Object command) {
            return with(new DeadlineChange.Schedule(deadlineId, dueAt, command));
        }

        /**
         * Also cancels the deadline of this id.
         *
         * @param deadlineId the deadline's name within the aggregate
         * @return the deadline changes so far
         * @throws NullPointerException if the id is {@code null}
         * @throws IllegalArgumentException if the id is not a valid deadline id
         */
        public WithDeadlines cancel(String deadlineId) {
            return with(new DeadlineChange.Cancel(deadlineId));
        }

        /**
         * Accepts the command with these events, in order, and the deadline changes.
         *
         * @param events the events; at least one, or the engine answers {@code Failed}
         * @param <E> the event type
         * @return an accepted decision
         * @throws NullPointerException if {@code events} or any event is {@code null}
         */
        @SafeVarargs
        public final <E> Accepted<E> accept(E... events) {
            return accept(Arrays.asList(Checks.notNull(events, "events")));
        }

        /**
         * Accepts the command with these events, in order, and the deadline changes.
         *
         * @param events the events; at least one, or the engine answers {@code Failed}
         * @param <E> the event type
         * @return an accepted decision
         * @throws NullPointerException if {@code events} or any event is {@code null}
         */
        public <E> Accepted<E> accept(List<? extends E> events) {
            return new Accepted<>(new ArrayList<E>(Checks.notNull(events, "events")), changes);
        }

        private WithDeadlines with(DeadlineChange change) {
            List<DeadlineChange> more = new ArrayList<>(changes);
            more.add(change);
            return new WithDeadlines(List.copyOf(more));
        }
    }
}
