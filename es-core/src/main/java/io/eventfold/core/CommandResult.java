package io.eventfold.core;

import java.util.List;

/**
 * What became of one command. Every command gets exactly one result.
 *
 * <p>Every case carries the command id, the aggregate id and the aggregate's version after the
 * command was handled, so a client can follow up with an {@link ExpectedVersion#exactly} command.
 *
 * <pre>{@code
 * if (result instanceof CommandResult.Rejected<?, ?> rejected) {
 *     return badRequest(rejected.rejection().code());
 * }
 * }</pre>
 *
 * @param <E> the event type
 * @param <S> the state type
 */
public sealed interface CommandResult<E, S>
        permits CommandResult.Accepted, CommandResult.Rejected, CommandResult.Conflict, CommandResult.Failed {

    /**
     * The id of the command this result answers.
     *
     * @return the command id
     */
    String commandId();

    /**
     * The aggregate the command was for.
     *
     * @return the aggregate id
     */
    String aggregateId();

    /**
     * The aggregate's version once the command was handled: the new version when accepted, the
     * unchanged current version otherwise.
     *
     * @return the version, {@code >= 0}
     */
    long version();

    /**
     * Which of the four cases this is, for logs, metrics and headers.
     *
     * @return the kind of result
     */
    Kind kind();

    /** The four kinds of result, one per record of this interface. */
    enum Kind {
        /** See {@link Accepted}. */
        ACCEPTED,
        /** See {@link Rejected}. */
        REJECTED,
        /** See {@link Conflict}. */
        CONFLICT,
        /** See {@link Failed}. */
        FAILED
    }

    /**
     * The command was accepted; its events are recorded.
     *
     * @param commandId the command's id
     * @param aggregateId the aggregate's id
     * @param version the version after the new events
     * @param events the new events, in order; empty when the command changed nothing
     * @param state the state after the new events
     * @param <E> the event type
     * @param <S> the state type
     */
    record Accepted<E, S>(String commandId, String aggregateId, long version, List<Event<E>> events, S state)
            implements CommandResult<E, S> {

        /**
         * Validates the components and copies the events.
         *
         * @param commandId the command's id
         * @param aggregateId the aggregate's id
         * @param version the version after the new events
         * @param events the new events, in order; empty when the command changed nothing
         * @param state the state after the new events
         * @throws NullPointerException if a component is {@code null}
         * @throws IllegalArgumentException if an id is blank or {@code version < 0}
         */
        public Accepted {
            Checks.notBlank(commandId, "commandId");
            Checks.notBlank(aggregateId, "aggregateId");
            Checks.atLeast(version, 0, "version");
            events = List.copyOf(Checks.notNull(events, "events"));
            Checks.notNull(state, "state");
        }

        @Override
        public Kind kind() {
            return Kind.ACCEPTED;
        }
    }

    /**
     * A business rule refused the command; nothing changed.
     *
     * @param commandId the command's id
     * @param aggregateId the aggregate's id
     * @param version the aggregate's unchanged version
     * @param rejection why the command was refused
     * @param <E> the event type
     * @param <S> the state type
     */
    record Rejected<E, S>(String commandId, String aggregateId, long version, Rejection rejection)
            implements CommandResult<E, S> {

        /**
         * Validates the components.
         *
         * @param commandId the command's id
         * @param aggregateId the aggregate's id
         * @param version the aggregate's unchanged version
         * @param rejection why the command was refused
         * @throws NullPointerException if a component is {@code null}
         * @throws IllegalArgumentException if an id is blank or {@code version < 0}
         */
        public Rejected {
            Checks.notBlank(commandId, "commandId");
            Checks.notBlank(aggregateId, "aggregateId");
            Checks.atLeast(version, 0, "version");
            Checks.notNull(rejection, "rejection");
        }

        @Override
        public Kind kind() {
            return Kind.REJECTED;
        }
    }

    /**
     * The aggregate was not at the expected version, so the command was not decided; nothing changed.
     *
     * @param commandId the command's id
     * @param aggregateId the aggregate's id
     * @param version the aggregate's actual version
     * @param expected the version the command expected
     * @param <E> the event type
     * @param <S> the state type
     */
    record Conflict<E, S>(String commandId, String aggregateId, long version, ExpectedVersion expected)
            implements CommandResult<E, S> {

        /**
         * Validates the components.
         *
         * @param commandId the command's id
         * @param aggregateId the aggregate's id
         * @param version the aggregate's actual version
         * @param expected the version the command expected
         * @throws NullPointerException if a component is {@code null}
         * @throws IllegalArgumentException if an id is blank or {@code version < 0}
         */
        public Conflict {
            Checks.notBlank(commandId, "commandId");
            Checks.notBlank(aggregateId, "aggregateId");
            Checks.atLeast(version, 0, "version");
            Checks.notNull(expected, "expected");
        }

        @Override
        public Kind kind() {
            return Kind.CONFLICT;
        }
    }

    /**
     * The command could not be handled: its payload could not be read, or user code threw or
     * returned {@code null}. Nothing changed.
     *
     * @param commandId the command's id
     * @param aggregateId the aggregate's id
     * @param version the aggregate's unchanged version
     * @param errorType the fully qualified class name of the error, e.g. {@code java.lang.IllegalStateException}
     * @param message what went wrong; may be empty, never {@code null}
     * @param <E> the event type
     * @param <S> the state type
     */
    record Failed<E, S>(String commandId, String aggregateId, long version, String errorType, String message)
            implements CommandResult<E, S> {

        /**
         * Validates the components.
         *
         * @param commandId the command's id
         * @param aggregateId the aggregate's id
         * @param version the aggregate's unchanged version
         * @param errorType the fully qualified class name of the error, e.g. {@code java.lang.IllegalStateException}
         * @param message what went wrong; may be empty, never {@code null}
         * @throws NullPointerException if a component is {@code null}
         * @throws IllegalArgumentException if an id or {@code errorType} is blank or {@code version < 0}
         */
        public Failed {
            Checks.notBlank(commandId, "commandId");
            Checks.notBlank(aggregateId, "aggregateId");
            Checks.atLeast(version, 0, "version");
            Checks.notBlank(errorType, "errorType");
            Checks.notNull(message, "message");
        }

        @Override
        public Kind kind() {
            return Kind.FAILED;
        }
    }
}
