package io.eventfold.kafka.client;

import io.eventfold.core.CommandResult;
import io.eventfold.core.ErrorText;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A command's result arrived but this build cannot read it, typically because the command
 * topology runs a newer build whose events or state have a type this one does not know. The
 * result's kind and version come from the record's headers, which need no decoding: when
 * {@link #accepted()} is true the command <em>was</em> accepted, at {@link #version()}, and
 * only its events and state are out of reach. Sending the command again with the same command
 * id changes nothing and is answered {@code AlreadyAccepted}, which every build can read. See
 * {@code docs/upgrades.md} for the upgrade order that avoids this.
 *
 * <pre>{@code
 * gateway.send(command).exceptionally(error -> {
 *     if (error.getCause() instanceof UnreadableResultException unreadable && unreadable.accepted()) {
 *         return accepted(unreadable.version().getAsLong());   // done; state not readable by this build
 *     }
 *     throw new CompletionException(error);
 * });
 * }</pre>
 */
public class UnreadableResultException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The command. */
    private final String commandId;
    /** The aggregate it was for. */
    private final String aggregateId;
    /** The result's kind from its header; null when the header is missing. */
    private final CommandResult.Kind kind;
    /** The version from the result's header; -1 when the header is missing. */
    private final long version;
    /** Where the result is, as topic-partition@offset. */
    private final String source;
    /** The event and state type names this build does not know. */
    private final List<String> unknownTypes;

    /**
     * Creates the exception for one result record.
     *
     * @param commandId the command
     * @param aggregateId the aggregate it was for
     * @param kind the result's kind from its header, or null when absent
     * @param version the version from its header, empty when absent
     * @param source where the record is, as {@code topic-partition@offset}
     * @param unknownTypes the type names in the result that this build does not know, may be empty
     * @param cause why reading failed
     */
    public UnreadableResultException(String commandId, String aggregateId, CommandResult.Kind kind, OptionalLong version,
                                     String source, List<String> unknownTypes, Throwable cause) {
        // The ids and the parser's message come from the record: bounded like every error text.
        super(ErrorText.bounded(message(commandId, aggregateId, kind, version, source, unknownTypes, cause)), cause);
        this.commandId = commandId;
        this.aggregateId = aggregateId;
        this.kind = kind;
        this.version = version.orElse(-1);
        this.source = source;
        this.unknownTypes = List.copyOf(unknownTypes);
    }

    private static String message(String commandId, String aggregateId, CommandResult.Kind kind, OptionalLong version,
                                  String source, List<String> unknownTypes, Throwable cause) {
        String what = "command " + commandId + " of aggregate " + aggregateId;
        String answered = kind == null ? what + " got a result" : what + " was " + (kind == CommandResult.Kind.ACCEPTED
                ? "accepted" : "answered " + kind) + (version.isPresent() ? " at version " + version.getAsLong() : "");
        if (unknownTypes.isEmpty()) {
            return answered + ", but its result at " + source + " cannot be read: " + Objects.toString(cause.getMessage(), "");
        }
        return answered + ", but this build cannot read its result at " + source + ": it does not know the type"
                + (unknownTypes.size() == 1 ? " '" + unknownTypes.get(0) + "'" : "s " + unknownTypes)
                + ". The command topology runs a newer build: upgrade gateways before it (docs/upgrades.md)"
                + (kind == CommandResult.Kind.ACCEPTED ? ". Sent again with the same command id within the command-id"
                + " retention, the command changes nothing and is answered AlreadyAccepted, which this build can read" : "");
    }

    /**
     * The command.
     *
     * @return the command id
     */
    public String commandId() {
        return commandId;
    }

    /**
     * The aggregate the command was for.
     *
     * @return the aggregate id
     */
    public String aggregateId() {
        return aggregateId;
    }

    /**
     * The result's kind, from its {@code eventfold.result-kind} header.
     *
     * @return the kind; empty when the record has no such header
     */
    public Optional<CommandResult.Kind> kind() {
        return Optional.ofNullable(kind);
    }

    /**
     * Whether the command was accepted: its events are recorded, whatever this build can read of them.
     *
     * @return true when the result's kind is {@code ACCEPTED}
     */
    public boolean accepted() {
        return kind == CommandResult.Kind.ACCEPTED;
    }

    /**
     * The aggregate's version after the command, from the result's {@code eventfold.version} header.
     *
     * @return the version; empty when the record has no such header
     */
    public OptionalLong version() {
        return version < 0 ? OptionalLong.empty() : OptionalLong.of(version);
    }

    /**
     * Where the result is.
     *
     * @return {@code topic-partition@offset}
     */
    public String source() {
        return source;
    }

    /**
     * The event and state type names in the result that this build does not know.
     *
     * @return the names; empty when the result is unreadable for another reason
     */
    public List<String> unknownTypes() {
        return unknownTypes;
    }
}
