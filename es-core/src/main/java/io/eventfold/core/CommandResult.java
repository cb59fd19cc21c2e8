package io.eventfold.core;

import java.util.List;
import java.util.Optional;

/**
 * What became of one command. Every command gets exactly one result; a command redelivered
 * with the same command id is answered from memory (see {@link #redeliveryAnswer()}).
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
        permits CommandResult.Accepted, CommandResult.AlreadyAccepted, CommandResult.Rejected, CommandResult.Conflict,
        CommandResult.Failed {

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

    /**
     * What is remembered of this result for the command-id retention, and sent again when the
     * same command id arrives again. It is small, so remembering every command is cheap: an
     * accepted command is remembered as {@link AlreadyAccepted} (its version and how many events
     * it recorded, not the events and the state, which the events topic and the snapshot already
     * hold); a rejection or conflict as itself. A {@link Failed} command changed nothing and is not
     * remembered: a redelivery is handled again, so a fix deployed in between takes effect.
     *
     * <pre>{@code
     * result.redeliveryAnswer()   // Optional[AlreadyAccepted[commandId=c-1, aggregateId=INV-7, version=3, eventCount=1]]
     * }</pre>
     *
     * @return the answer to a redelivery, or empty for a failure
     */
    default Optional<CommandResult<E, S>> redeliveryAnswer() {
        if (this instanceof Accepted<E, S> accepted) {
            return Optional.of(new AlreadyAccepted<>(accepted.commandId(), accepted.aggregateId(), accepted.version(),
                    accepted.events().size()));
        }
        return this instanceof Failed ? Optional.empty() : Optional.of(this);
    }

    /**
     * This result as a topology sends it to a sender that did not ask for the state: an
     * {@link Accepted} one without its state, any other unchanged.
     *
     * <pre>{@code
     * outcome.result().withoutState()   // Accepted[…, events=[…], state=Optional.empty]
     * }</pre>
     *
     * @return this result without the state
     */
    default CommandResult<E, S> withoutState() {
        return this;
    }

    /** The four kinds of result. */
    enum Kind {
        /** See {@link Accepted} and {@link AlreadyAccepted}. */
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
     * <p>The state after the events is present when the result comes straight from the
     * {@link CommandEngine}, and from a topology only when the command's sender asked for it (a
     * gateway built with {@code resultsWithState(true)}): the state is usually the largest part of a
     * result, and most senders need only the version and the events.
     *
     * <pre>{@code
     * accepted.state().map(Invoice::total).orElse(null)   // 420.00 when asked for, else null
     * }</pre>
     *
     * @param commandId the command's id
     * @param aggregateId the aggregate's id
     * @param version the version after the new events
     * @param events the new events, in order; empty when the command changed nothing
     * @param state the state after the new events, or empty when the sender did not ask for it
     * @param <E> the event type
     * @param <S> the state type
     */
    record Accepted<E, S>(String commandId, String aggregateId, long version, List<Event<E>> events, Optional<S> state)
            implements CommandResult<E, S> {

        /**
         * Validates the components and copies the events.
         *
         * @param commandId the command's id
         * @param aggregateId the aggregate's id
         * @param version the version after the new events
         * @param events the new events, in order; empty when the command changed nothing
         * @param state the state after the new events, or empty
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

        /**
         * An accepted result with its state.
         *
         * @param commandId the command's id
         * @param aggregateId the aggregate's id
         * @param version the version after the new events
         * @param events the new events, in order; empty when the command changed nothing
         * @param state the state after the new events
         * @throws NullPointerException if a component is {@code null}
         * @throws IllegalArgumentException if an id is blank or {@code version < 0}
         */
        public Accepted(String commandId, String aggregateId, long version, List<Event<E>> events, S state) {
            this(commandId, aggregateId, version, events, Optional.of(Checks.notNull(state, "state")));
        }

        /**
         * The same result without its state: what a topology sends when the sender did not ask
         * for the state.
         *
         * @return this result with an empty {@link #state()}
         */
        @Override
        public Accepted<E, S> withoutState() {
            return state.isEmpty() ? this : new Accepted<>(commandId, aggregateId, version, events, Optional.<S>empty());
        }

        @Override
        public Kind kind() {
            return Kind.ACCEPTED;
        }
    }

    /**
     * The answer to a redelivered command that was accepted when first handled: nothing new
     * happened now. It carries the version the command reached and how many events it recorded,
     * versions {@code version - eventCount + 1} to {@code version}; read the events from the
     * events topic and the state from the snapshot if you need them.
     *
     * <pre>{@code
     * case CommandResult.AlreadyAccepted<?, ?> earlier -> ok(earlier.version());
     * }</pre>
     *
     * @param commandId the command's id
     * @param aggregateId the aggregate's id
     * @param version the version after the command's events
     * @param eventCount how many events the command recorded, {@code >= 0}
     * @param <E> the event type
     * @param <S> the state type
     */
    record AlreadyAccepted<E, S>(String commandId, String aggregateId, long version, int eventCount)
            implements CommandResult<E, S> {

        /**
         * Validates the components.
         *
         * @param commandId the command's id
         * @param aggregateId the aggregate's id
         * @param version the version after the command's events
         * @param eventCount how many events the command recorded
         * @throws NullPointerException if an id is {@code null}
         * @throws IllegalArgumentException if an id is blank, {@code eventCount < 0} or {@code version < eventCount}
         */
        public AlreadyAccepted {
            Checks.notBlank(commandId, "commandId");
            Checks.notBlank(aggregateId, "aggregateId");
            Checks.atLeast(eventCount, 0, "eventCount");
            Checks.atLeast(version, eventCount, "version");
        }

        /**
         * The version of the command's first event.
         *
         * @return {@code version - eventCount + 1}; {@code version + 1} when it recorded none
         */
        public long firstEventVersion() {
            return version - eventCount + 1;
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
         * @param message what went wrong; may be empty, never {@code null}; cut to
         *     {@link ErrorText#MAX_LENGTH} characters (see {@link ErrorText#bounded})
         * @throws NullPointerException if a component is {@code null}
         * @throws IllegalArgumentException if an id or {@code errorType} is blank or {@code version < 0}
         */
        public Failed {
            Checks.notBlank(commandId, "commandId");
            Checks.notBlank(aggregateId, "aggregateId");
            Checks.atLeast(version, 0, "version");
            Checks.notBlank(errorType, "errorType");
            message = ErrorText.bounded(Checks.notNull(message, "message"));
            errorType = ErrorText.bounded(errorType);
        }

        @Override
        public Kind kind() {
            return Kind.FAILED;
        }
    }
}
