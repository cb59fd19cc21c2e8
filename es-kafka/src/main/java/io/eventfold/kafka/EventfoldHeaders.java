package io.eventfold.kafka;

import io.eventfold.core.DeadlineChange;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The record headers Eventfold reads and writes, and the one reader and writer of their values.
 * Values are UTF-8 strings; a header that is absent, has no value or a blank value reads as
 * {@link Optional#empty()}, and when a name occurs more than once the last one counts.
 *
 * <pre>{@code
 * Headers headers = new RecordHeaders();
 * EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, commandId);
 * producer.send(new ProducerRecord<>("invoice-commands", null, "INV-7", json, headers));
 *
 * Optional<String> answered = EventfoldHeaders.commandId(resultRecord.headers());
 * boolean resent = EventfoldHeaders.isDuplicate(resultRecord.headers());
 * }</pre>
 */
public final class EventfoldHeaders {

    /**
     * The command id. Written on every output record; read from command records so that a
     * command whose value cannot be decoded still gets a {@code Failed} result.
     */
    public static final String COMMAND_ID = "eventfold.command-id";

    /** The type name of an event's payload, on event records: lets consumers filter without parsing. */
    public static final String EVENT_TYPE = "eventfold.event-type";

    /** The aggregate version: of the event, of the snapshot, or after the command on a result. */
    public static final String VERSION = "eventfold.version";

    /** The result kind ({@code ACCEPTED}, {@code REJECTED}, {@code CONFLICT}, {@code FAILED}) on result records. */
    public static final String RESULT_KIND = "eventfold.result-kind";

    /** {@code true} on a result re-emitted for a command id that was handled before. */
    public static final String DUPLICATE = "eventfold.duplicate";

    /** On a dead-letter record: why the command could not be answered. */
    public static final String ERROR = "eventfold.error";

    /** On a dead-letter record: the Java class name of the error. */
    public static final String ERROR_TYPE = "eventfold.error-type";

    /** On a dead-letter record: where the command came from, as {@code topic-partition@offset}. */
    public static final String SOURCE = "eventfold.source";

    /**
     * On a command record: the topic its gateway reads replies from; the topology copies the
     * result there, in the same transaction, only when it is the aggregate type's replies topic.
     */
    public static final String REPLY_TOPIC = "eventfold.reply-topic";

    /** On a command record: the partition of {@link #REPLY_TOPIC} its result is copied to, a decimal number. */
    public static final String REPLY_PARTITION = "eventfold.reply-partition";

    /**
     * On a command record: {@code true} when its sender wants the state after the command in an
     * accepted result ({@link io.eventfold.core.CommandResult.Accepted#state()}); without it the
     * result carries the version and the events only. Set by a gateway built with
     * {@code resultsWithState(true)}.
     */
    public static final String RESULT_STATE = "eventfold.result-state";

    /**
     * The correlation id: the id of the chain of commands a record belongs to (by default the
     * command id of the chain's first command; a command may name any). On the event, snapshot
     * and result records of a command (results sent again for a redelivery included) that
     * continues a chain; absent, the chain is the record's own {@link #COMMAND_ID} (the causation
     * id), as {@link #correlationId(Headers)} reads it. Written only then, because a command id can
     * be as large as a record allows. Snapshots rebuilt from the events carry neither this nor
     * metadata headers.
     */
    public static final String CORRELATION_ID = "eventfold.correlation-id";

    /**
     * The prefix of the metadata headers: one header {@code eventfold.metadata.<key>} per entry of
     * the command's metadata that the aggregate type's {@code MetadataPolicy} keeps, on its event,
     * snapshot and result records, so consumers can route on who sent a command without decoding.
     */
    public static final String METADATA_PREFIX = "eventfold.metadata.";

    /**
     * On a command record a deadline sent when it fell due: the deadline's id. Its command id is
     * {@code <aggregateId>/deadline/<deadlineId>/<version>}, see {@code DeadlineChange.Schedule#commandId}.
     */
    public static final String DEADLINE = "eventfold.deadline";

    /**
     * {@code true} on a deadline's command sent a second time: its first record reached the
     * partition while it rebuilt its snapshots, which hold a command back (not answered, not
     * remembered) and keep it in the deadline store to fire again once the snapshots are current.
     * The same firing, not another one.
     */
    public static final String DEADLINE_HELD_BACK = "eventfold.deadline-held-back";

    /**
     * On the last event record of a command whose decision scheduled or cancelled deadlines: the
     * changes in order, separated by spaces, each {@code schedule:<deadlineId>@<due epoch millis>}
     * or {@code cancel:<deadlineId>}; read it with {@link #deadlineChanges(Headers)}. It lets an
     * audit of the event log tell which deadlines must have fired.
     */
    public static final String DEADLINES = "eventfold.deadlines";

    /** On a command record a process manager sent: the manager's name. */
    public static final String PROCESS_MANAGER = "eventfold.process-manager";

    /**
     * The W3C Trace Context {@code traceparent}, as OpenTelemetry's Kafka instrumentation names it:
     * set on a command record by the gateway from the caller's trace, and written on the events,
     * snapshot, result, reply copy and dead letter of that command, so a consumer continues the
     * trace. With OpenTelemetry on the class path it names the topology's {@code handle} span;
     * without, it is the command's own value, copied. See docs/operations.md.
     *
     * <pre>{@code
     * Optional<String> trace = EventfoldHeaders.read(eventRecord.headers(), EventfoldHeaders.TRACEPARENT);
     * }</pre>
     */
    public static final String TRACEPARENT = "traceparent";

    /** The W3C Trace Context {@code tracestate}, carried with {@link #TRACEPARENT} wherever it is. */
    public static final String TRACESTATE = "tracestate";

    private static final String TRUE = "true";
    private static final String SCHEDULE = "schedule:";
    private static final String CANCEL = "cancel:";

    private EventfoldHeaders() {
    }

    /**
     * The value of a header.
     *
     * @param headers the record's headers
     * @param name the header name, e.g. {@link #COMMAND_ID}
     * @return the last value of that name as UTF-8 text; empty if absent, without value or blank
     */
    public static Optional<String> read(Headers headers, String name) {
        Objects.requireNonNull(headers, "headers must not be null");
        Header header = headers.lastHeader(Objects.requireNonNull(name, "name must not be null"));
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        String value = new String(header.value(), StandardCharsets.UTF_8);
        return value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /**
     * The command id a record carries.
     *
     * @param headers the record's headers
     * @return the value of {@link #COMMAND_ID}, if present and not blank
     */
    public static Optional<String> commandId(Headers headers) {
        return read(headers, COMMAND_ID);
    }

    /**
     * The correlation id of an event, snapshot or result record: {@link #CORRELATION_ID}, or the
     * record's {@link #COMMAND_ID} when its command started the chain.
     *
     * <pre>{@code
     * String chain = EventfoldHeaders.correlationId(eventRecord.headers()).orElseThrow();
     * }</pre>
     *
     * @param headers the record's headers
     * @return the correlation id; empty when the record names neither
     */
    public static Optional<String> correlationId(Headers headers) {
        return read(headers, CORRELATION_ID).or(() -> commandId(headers));
    }

    /**
     * Whether a result record re-sends the result of a command handled before.
     *
     * @param headers the result record's headers
     * @return true when {@link #DUPLICATE} is {@code true}
     */
    public static boolean isDuplicate(Headers headers) {
        return read(headers, DUPLICATE).map(TRUE::equals).orElse(false);
    }

    /**
     * Whether a command record's sender asked for the state in its result.
     *
     * <pre>{@code
     * EventfoldHeaders.asksForState(record.headers())   // true when eventfold.result-state is "true"
     * }</pre>
     *
     * @param headers the command record's headers
     * @return true when {@link #RESULT_STATE} is {@code true}
     */
    public static boolean asksForState(Headers headers) {
        return read(headers, RESULT_STATE).map(TRUE::equals).orElse(false);
    }

    /**
     * Marks a command record as asking for the state in its result, as {@link #asksForState} reads it.
     *
     * <pre>{@code
     * EventfoldHeaders.askForState(headers);   // eventfold.result-state: true
     * }</pre>
     *
     * @param headers the command record's headers
     */
    public static void askForState(Headers headers) {
        put(headers, RESULT_STATE, TRUE);
    }

    /**
     * Adds a header with a UTF-8 value.
     *
     * @param headers the headers to add to
     * @param name the header name
     * @param value the value, not null
     * @return {@code headers}, for chaining
     */
    public static Headers put(Headers headers, String name, String value) {
        Objects.requireNonNull(value, () -> "the value of header " + name + " must not be null");
        return headers.add(Objects.requireNonNull(name, "name must not be null"), value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The metadata a record carries in its {@link #METADATA_PREFIX} headers.
     *
     * <pre>{@code
     * String user = EventfoldHeaders.metadata(eventRecord.headers()).get("user");
     * }</pre>
     *
     * @param headers the record's headers
     * @return key to value, sorted by key; empty when there is none
     */
    public static Map<String, String> metadata(Headers headers) {
        Objects.requireNonNull(headers, "headers must not be null");
        Map<String, String> metadata = new TreeMap<>();
        for (Header header : headers) {
            if (header.key().startsWith(METADATA_PREFIX) && header.value() != null) {
                metadata.put(header.key().substring(METADATA_PREFIX.length()), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return metadata;
    }

    /**
     * Adds one {@link #METADATA_PREFIX} header per entry, sorted by key.
     *
     * @param headers the headers to add to
     * @param metadata the entries
     * @return {@code headers}, for chaining
     */
    public static Headers putMetadata(Headers headers, Map<String, String> metadata) {
        new TreeMap<>(metadata).forEach((key, value) -> put(headers, METADATA_PREFIX + key, value));
        return headers;
    }

    /**
     * Marks a result record as a re-sent duplicate.
     *
     * @param headers the result record's headers
     * @return {@code headers}, for chaining
     */
    public static Headers markDuplicate(Headers headers) {
        return put(headers, DUPLICATE, TRUE);
    }

    /**
     * Adds the {@link #DEADLINES} header for a decision's deadline changes; nothing when there are none.
     *
     * @param headers the headers of the decision's last event record
     * @param changes the changes, in order
     * @return {@code headers}, for chaining
     */
    public static Headers putDeadlineChanges(Headers headers, List<DeadlineChange> changes) {
        if (changes.isEmpty()) {
            return headers;
        }
        StringJoiner value = new StringJoiner(" ");
        for (DeadlineChange change : changes) {
            value.add(change instanceof DeadlineChange.Schedule schedule
                    ? SCHEDULE + schedule.deadlineId() + "@" + schedule.dueAt().toEpochMilli()
                    : CANCEL + change.deadlineId());
        }
        return put(headers, DEADLINES, value.toString());
    }

    /**
     * The deadline changes an event record's {@link #DEADLINES} header lists, in order.
     *
     * <pre>{@code
     * for (DeadlineNote note : EventfoldHeaders.deadlineChanges(eventRecord.headers())) {
     *     if (note.cancelled()) { ... } else { note.dueAt(); }
     * }
     * }</pre>
     *
     * @param headers the record's headers
     * @return the changes; empty when the header is absent
     * @throws IllegalArgumentException if the header is not in the form {@link #DEADLINES} describes
     */
    public static List<DeadlineNote> deadlineChanges(Headers headers) {
        Optional<String> value = read(headers, DEADLINES);
        if (value.isEmpty()) {
            return List.of();
        }
        List<DeadlineNote> notes = new ArrayList<>();
        for (String entry : value.get().trim().split(" +")) {
            try {
                if (entry.startsWith(CANCEL)) {
                    notes.add(new DeadlineNote(entry.substring(CANCEL.length()), null));
                } else if (entry.startsWith(SCHEDULE) && entry.lastIndexOf('@') > SCHEDULE.length()) {
                    int at = entry.lastIndexOf('@');
                    notes.add(new DeadlineNote(entry.substring(SCHEDULE.length(), at),
                            Instant.ofEpochMilli(Long.parseLong(entry.substring(at + 1)))));
                } else {
                    throw new IllegalArgumentException("neither schedule:<id>@<millis> nor cancel:<id>");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("header " + DEADLINES + " has an unreadable entry '" + entry + "': "
                        + e.getMessage(), e);
            }
        }
        return notes;
    }

    /**
     * One entry of a {@link #DEADLINES} header.
     *
     * @param deadlineId the deadline
     * @param dueAt when it is due, or {@code null} when the entry cancels it
     */
    public record DeadlineNote(String deadlineId, Instant dueAt) {

        /**
         * Validates the id.
         *
         * @param deadlineId the deadline
         * @param dueAt when it is due, or {@code null} for a cancellation
         */
        public DeadlineNote {
            Objects.requireNonNull(deadlineId, "deadlineId must not be null");
        }

        /**
         * Whether the entry cancels the deadline.
         *
         * @return {@code true} for {@code cancel:<id>}
         */
        public boolean cancelled() {
            return dueAt == null;
        }
    }
}
