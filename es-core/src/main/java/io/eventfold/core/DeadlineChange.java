package io.eventfold.core;

import java.time.Instant;
import java.util.Map;

/**
 * A change an accepted {@link Decision} makes to its aggregate's deadlines: schedule a command
 * for a later time, or cancel one scheduled before. A deadline is named by an id of the
 * aggregate's choosing; an aggregate has at most one deadline per id, so scheduling an id again
 * replaces the earlier one.
 *
 * <pre>{@code
 * return Decision.schedule("overdue", invoice.overdueAt(), new MarkOverdue()).accept(new InvoiceSent());
 * ...
 * return Decision.cancel("overdue").accept(new InvoicePaid(amount));
 * }</pre>
 *
 * <p>When its time comes the deadline's command is sent to the aggregate like any other, with a
 * command id that names the aggregate, the deadline and the version the scheduling decision
 * produced ({@link Schedule#commandId}), the scheduling command's correlation id and the metadata
 * its events kept. A deadline fires once: late rather than never after downtime, and a command
 * that is refused (the invoice was paid meanwhile) is the aggregate's business, as for any command.
 */
public sealed interface DeadlineChange permits DeadlineChange.Schedule, DeadlineChange.Cancel {

    /** The longest deadline id. */
    int MAX_ID_LENGTH = 64;

    /**
     * The deadline this change is about.
     *
     * @return the deadline id
     */
    String deadlineId();

    /**
     * Schedules {@code command} for the aggregate at {@code dueAt}, replacing a deadline of the same id.
     *
     * @param deadlineId the deadline's name within its aggregate, 1 to {@value DeadlineChange#MAX_ID_LENGTH} characters of {@code [A-Za-z0-9._-]} starting with a letter or digit
     * @param dueAt when the command is sent; a time already past fires at once
     * @param command the domain command sent to the aggregate, of the aggregate's command type
     */
    record Schedule(String deadlineId, Instant dueAt, Object command) implements DeadlineChange {

        /**
         * Validates the components.
         *
         * @param deadlineId the deadline's name within its aggregate, 1 to {@value DeadlineChange#MAX_ID_LENGTH} characters of {@code [A-Za-z0-9._-]} starting with a letter or digit
         * @param dueAt when the command is sent
         * @param command the domain command
         * @throws NullPointerException if a component is {@code null}
         * @throws IllegalArgumentException if the id is not a valid deadline id, or {@code dueAt} lies
         *     beyond what epoch milliseconds in a {@code long} count (the clocks of Kafka)
         */
        public Schedule {
            Checks.deadlineId(deadlineId, MAX_ID_LENGTH);
            Checks.notNull(dueAt, "dueAt");
            Checks.notNull(command, "command");
            if (dueAt.isBefore(EARLIEST) || dueAt.isAfter(LATEST)) {
                throw new IllegalArgumentException("deadline '" + deadlineId + "' is due at " + dueAt
                        + ", which a clock counting milliseconds since 1970 in a long cannot reach; due times lie between "
                        + EARLIEST + " and " + LATEST);
            }
        }

        /** The earliest due time: a clock of epoch milliseconds in a long counts from here. */
        private static final Instant EARLIEST = Instant.ofEpochMilli(Long.MIN_VALUE);
        /** The latest due time a clock of epoch milliseconds in a long reaches. */
        private static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);

        /**
         * The command id of the command this deadline sends: the same for every replay of the
         * decision, so a firing repeated after a crash is deduplicated like a redelivered command.
         *
         * @param aggregateId the aggregate that scheduled it
         * @param deadlineId the deadline
         * @param version the aggregate's version after the scheduling decision
         * @return {@code <aggregateId>/deadline/<deadlineId>/<version>}
         */
        public static String commandId(String aggregateId, String deadlineId, long version) {
            return aggregateId + "/deadline/" + deadlineId + "/" + version;
        }

        /**
         * The command this deadline sends when it fires.
         *
         * @param aggregateId the aggregate that scheduled it
         * @param version the aggregate's version after the scheduling decision
         * @param correlationId the scheduling command's correlation id
         * @param metadata the metadata the scheduling decision's events kept
         * @param <C> the aggregate's command type
         * @return the command, expecting any version
         */
        @SuppressWarnings("unchecked")
        public <C> Command<C> toCommand(String aggregateId, long version, String correlationId, Map<String, String> metadata) {
            return new Command<>(commandId(aggregateId, deadlineId, version), aggregateId, ExpectedVersion.any(),
                    (C) command, metadata, correlationId);
        }
    }

    /**
     * Cancels the deadline of this id, if the aggregate has one that has not fired yet.
     *
     * @param deadlineId the deadline's name within its aggregate
     */
    record Cancel(String deadlineId) implements DeadlineChange {

        /**
         * Validates the id.
         *
         * @param deadlineId the deadline's name within its aggregate
         * @throws IllegalArgumentException if the id is not a valid deadline id
         */
        public Cancel {
            Checks.deadlineId(deadlineId, MAX_ID_LENGTH);
        }
    }
}
