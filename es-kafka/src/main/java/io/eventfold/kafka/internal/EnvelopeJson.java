package io.eventfold.kafka.internal;

import io.eventfold.kafka.EnvelopeFormatException;
import io.eventfold.kafka.json.JsonCodec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Rejection;
import io.eventfold.core.Snapshot;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON envelope formats of commands, events, snapshots and results: one place that knows
 * every field name, so the serdes, the processor and the tools agree byte for byte.
 *
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public final class EnvelopeJson<C, E, S> {

    /** Wire values of the expected versions without a number; fixed, whatever {@code toString} says. */
    private static final String ANY = EnvelopeWriter.ANY;
    private static final String NO_STREAM = EnvelopeWriter.NO_STREAM;

    private final JsonCodec<C> commands;
    private final JsonCodec<E> events;
    private final JsonCodec<S> states;
    private final ObjectMapper mapper;
    private final EnvelopeWriter<C, E, S> writer;

    public EnvelopeJson(JsonCodec<C> commands, JsonCodec<E> events, JsonCodec<S> states) {
        this.commands = commands;
        this.events = events;
        this.states = states;
        this.mapper = events.mapper();
        this.writer = new EnvelopeWriter<>(commands, events, states);
    }

    public JsonCodec<C> commandCodec() {
        return commands;
    }

    public JsonCodec<E> eventCodec() {
        return events;
    }

    public JsonCodec<S> stateCodec() {
        return states;
    }

    // ---- commands -------------------------------------------------------------------------

    public byte[] writeCommand(Command<C> command) {
        return writer.command(command);
    }

    public Command<C> readCommand(byte[] bytes) {
        return readCommand(readTree(bytes, "command"));
    }

    /** Reads a command from a tree that {@link #readTree} already parsed. */
    public Command<C> readCommand(JsonNode json) {
        ObjectNode envelope = object(json, "command");
        C payload = commands.fromJson(text(envelope, Fields.TYPE, "command"), envelope.get(Fields.PAYLOAD));
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode metadataJson = envelope.get(Fields.METADATA);
        if (metadataJson != null && !metadataJson.isNull()) {
            if (!metadataJson.isObject()) {
                throw new EnvelopeFormatException("command field 'metadata' must be an object of strings");
            }
            metadataJson.fields().forEachRemaining(field -> {
                if (!field.getValue().isTextual()) {
                    throw new EnvelopeFormatException("command field 'metadata' must be an object of strings but '"
                            + field.getKey() + "' is " + field.getValue());
                }
                metadata.put(field.getKey(), field.getValue().asText());
            });
        }
        return construct("command", () -> new Command<>(
                text(envelope, Fields.COMMAND_ID, "command"),
                text(envelope, Fields.AGGREGATE_ID, "command"),
                readExpectedVersion(envelope.get(Fields.EXPECTED_VERSION)),
                payload,
                metadata));
    }

    // ---- events ---------------------------------------------------------------------------

    public byte[] writeEvent(Event<E> event) {
        return writer.event(event);
    }

    public Event<E> readEvent(byte[] bytes) {
        return readEvent(readTree(bytes, "event"));
    }

    private Event<E> readEvent(JsonNode json) {
        ObjectNode envelope = object(json, "event");
        E payload = events.fromJson(text(envelope, Fields.TYPE, "event"), envelope.get(Fields.PAYLOAD));
        return construct("event", () -> new Event<>(
                text(envelope, Fields.AGGREGATE_ID, "event"),
                number(envelope, Fields.VERSION, "event"),
                text(envelope, Fields.COMMAND_ID, "event"),
                instant(envelope, Fields.TIMESTAMP, "event"),
                payload));
    }

    // ---- snapshots ------------------------------------------------------------------------

    public byte[] writeSnapshot(Snapshot<S> snapshot) {
        return writer.snapshot(snapshot);
    }

    public Snapshot<S> readSnapshot(byte[] bytes) {
        ObjectNode envelope = object(readTree(bytes, "snapshot"), "snapshot");
        S state = states.fromJson(text(envelope, Fields.TYPE, "snapshot"), envelope.get(Fields.STATE));
        return construct("snapshot", () -> new Snapshot<>(
                text(envelope, Fields.AGGREGATE_ID, "snapshot"),
                number(envelope, Fields.VERSION, "snapshot"),
                state));
    }

    // ---- results --------------------------------------------------------------------------

    public byte[] writeResult(CommandResult<E, S> result) {
        return writer.result(result);
    }

    // ---- outcomes -------------------------------------------------------------------------

    /**
     * The envelopes of one handled command, each event and the state serialized once though the
     * result repeats them.
     *
     * @param events the new events
     * @param snapshot the new snapshot, or null when the state did not change
     * @param result the result
     * @return the event, snapshot (null when not given) and result envelopes
     */
    public Written writeOutcome(List<Event<E>> events, Snapshot<S> snapshot, CommandResult<E, S> result) {
        return writer.outcome(events, snapshot, result);
    }

    /** The envelopes of one handled command; {@code snapshot} is null when the state did not change. */
    public record Written(List<byte[]> events, byte[] snapshot, byte[] result) {
    }

    public CommandResult<E, S> readResult(byte[] bytes) {
        ObjectNode envelope = object(readTree(bytes, "result"), "result");
        String kind = text(envelope, Fields.KIND, "result");
        String commandId = text(envelope, Fields.COMMAND_ID, "result");
        String aggregateId = text(envelope, Fields.AGGREGATE_ID, "result");
        long version = number(envelope, Fields.VERSION, "result");
        switch (kind) {
            case "ACCEPTED": {
                JsonNode eventsJson = envelope.get(Fields.EVENTS);
                if (eventsJson == null || !eventsJson.isArray()) {
                    throw new EnvelopeFormatException("result field 'events' must be an array");
                }
                List<Event<E>> list = new ArrayList<>(eventsJson.size());
                eventsJson.forEach(event -> list.add(readEvent(event)));
                S state = states.fromJson(text(envelope, Fields.STATE_TYPE, "result"), envelope.get(Fields.STATE));
                return construct("result", () -> new CommandResult.Accepted<>(commandId, aggregateId, version, list, state));
            }
            case "REJECTED": {
                ObjectNode rejection = object(envelope.get(Fields.REJECTION), "result rejection");
                return construct("result", () -> new CommandResult.Rejected<>(commandId, aggregateId, version,
                        new Rejection(text(rejection, Fields.CODE, "rejection"), text(rejection, Fields.MESSAGE, "rejection"))));
            }
            case "CONFLICT":
                return construct("result", () -> new CommandResult.Conflict<>(commandId, aggregateId, version,
                        readExpectedVersion(envelope.get(Fields.EXPECTED_VERSION))));
            case "FAILED":
                return construct("result", () -> new CommandResult.Failed<>(commandId, aggregateId, version,
                        text(envelope, Fields.ERROR_TYPE, "result"), text(envelope, Fields.MESSAGE, "result")));
            default:
                throw new EnvelopeFormatException("unknown result kind '" + kind
                        + "'; expected ACCEPTED, REJECTED, CONFLICT or FAILED");
        }
    }

    // ---- shared ---------------------------------------------------------------------------

    /** Parses bytes into a JSON tree, naming the envelope in the error. */
    public JsonNode readTree(byte[] bytes, String what) {
        if (bytes == null || bytes.length == 0) {
            throw new EnvelopeFormatException(what + " value is empty");
        }
        try {
            JsonNode tree = mapper.readTree(bytes);
            if (tree == null || tree.isMissingNode()) {
                throw new EnvelopeFormatException(what + " value is empty");
            }
            return tree;
        } catch (IOException e) {
            throw new EnvelopeFormatException(what + " value is not JSON: " + firstLine(e.getMessage()), e);
        }
    }

    /** A text field of an envelope, or null when absent or not text; never throws. */
    public static String textOrNull(JsonNode json, String field) {
        if (json == null || !json.isObject()) {
            return null;
        }
        JsonNode node = json.get(field);
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private static ExpectedVersion readExpectedVersion(JsonNode json) {
        if (json == null || json.isNull() || (json.isTextual() && json.asText().equals(ANY))) {
            return ExpectedVersion.any();
        }
        if (json.isTextual() && json.asText().equals(NO_STREAM)) {
            return ExpectedVersion.noStream();
        }
        if (json.isIntegralNumber() && json.canConvertToLong()) {
            long version = json.asLong();
            if (version < 0) {
                throw new EnvelopeFormatException("field 'expectedVersion' must be >= 0 but was " + version);
            }
            return ExpectedVersion.exactly(version);
        }
        throw new EnvelopeFormatException("field 'expectedVersion' must be \"any\", \"noStream\" or a version number but was " + json);
    }

    private static ObjectNode object(JsonNode json, String what) {
        if (json == null || !json.isObject()) {
            throw new EnvelopeFormatException(what + " must be a JSON object but was " + (json == null ? "missing" : json.getNodeType()));
        }
        return (ObjectNode) json;
    }

    private static String text(JsonNode json, String field, String what) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual()) {
            throw new EnvelopeFormatException(what + " field '" + field + "' must be a string but was "
                    + (node == null ? "missing" : node.toString()));
        }
        return node.asText();
    }

    private static long number(JsonNode json, String field, String what) {
        JsonNode node = json.get(field);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new EnvelopeFormatException(what + " field '" + field + "' must be a whole number but was "
                    + (node == null ? "missing" : node.toString()));
        }
        return node.asLong();
    }

    private static Instant instant(JsonNode json, String field, String what) {
        String text = text(json, field, what);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new EnvelopeFormatException(what + " field '" + field + "' is not an ISO-8601 instant: " + text, e);
        }
    }

    private static <T> T construct(String what, java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new EnvelopeFormatException("invalid " + what + ": " + e.getMessage(), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The JSON field names of the envelopes. */
    static final class Fields {
        static final String COMMAND_ID = "commandId";
        static final String AGGREGATE_ID = "aggregateId";
        static final String EXPECTED_VERSION = "expectedVersion";
        static final String TYPE = "type";
        static final String PAYLOAD = "payload";
        static final String METADATA = "metadata";
        static final String VERSION = "version";
        static final String TIMESTAMP = "timestamp";
        static final String STATE = "state";
        static final String STATE_TYPE = "stateType";
        static final String KIND = "kind";
        static final String EVENTS = "events";
        static final String REJECTION = "rejection";
        static final String CODE = "code";
        static final String MESSAGE = "message";
        static final String ERROR_TYPE = "errorType";

        private Fields() {
        }
    }
}
