package io.eventfold.kafka.internal;

import io.eventfold.kafka.EnvelopeFormatException;
import io.eventfold.kafka.SnapshotVersionException;
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
import java.util.Optional;

/**
 * Reads the JSON envelopes of commands, events, snapshots and results, naming the envelope and
 * the field in every {@link EnvelopeFormatException}. {@link EnvelopeWriter} writes them; both
 * take the field names from {@link EnvelopeFields}.
 *
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public final class EnvelopeReader<C, E, S> {

    private final PayloadReader<C> commands;
    private final PayloadReader<E> events;
    private final JsonCodec<S> states;
    private final int stateVersion;
    private final ObjectMapper mapper;

    public EnvelopeReader(EnvelopeSchema<C, E, S> schema) {
        this.commands = new PayloadReader<>(schema.commands(), schema.commandUpcasters());
        this.events = new PayloadReader<>(schema.events(), schema.eventUpcasters());
        this.states = schema.states();
        this.stateVersion = schema.stateVersion();
        this.mapper = schema.events().mapper();
    }

    // ---- commands -------------------------------------------------------------------------

    public Command<C> readCommand(byte[] bytes) {
        return readCommand(readTree(bytes, "command"));
    }

    /** Reads a command from a tree that {@link #readTree} already parsed. */
    public Command<C> readCommand(JsonNode json) {
        ObjectNode envelope = object(json, "command");
        String type = text(envelope, EnvelopeFields.TYPE, "command");
        int typeVersion = typeVersionOf(envelope, "command");
        List<C> payloads = commands.read(type, typeVersion, envelope.get(EnvelopeFields.PAYLOAD));
        if (payloads.size() != 1) {
            throw new EnvelopeFormatException("command '" + textOrNull(envelope, EnvelopeFields.COMMAND_ID) + "' of type '" + type
                    + "' v" + typeVersion + " upcasts to " + payloads.size() + " commands; a command must upcast to exactly one");
        }
        C payload = payloads.get(0);
        Map<String, String> metadata = metadata(envelope, "command");
        String correlationId = optionalText(envelope, EnvelopeFields.CORRELATION_ID, "command");
        return construct("command", () -> new Command<>(
                text(envelope, EnvelopeFields.COMMAND_ID, "command"),
                text(envelope, EnvelopeFields.AGGREGATE_ID, "command"),
                readExpectedVersion(envelope.get(EnvelopeFields.EXPECTED_VERSION)),
                payload,
                metadata,
                correlationId));
    }

    /** The metadata object of a command or event envelope; absent or null is none. */
    private static Map<String, String> metadata(ObjectNode envelope, String what) {
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode metadataJson = envelope.get(EnvelopeFields.METADATA);
        if (metadataJson != null && !metadataJson.isNull()) {
            if (!metadataJson.isObject()) {
                throw new EnvelopeFormatException(what + " field 'metadata' must be an object of strings");
            }
            metadataJson.fields().forEachRemaining(field -> {
                if (!field.getValue().isTextual()) {
                    throw new EnvelopeFormatException(what + " field 'metadata' must be an object of strings but '"
                            + field.getKey() + "' is " + field.getValue());
                }
                metadata.put(field.getKey(), field.getValue().asText());
            });
        }
        return metadata;
    }

    // ---- events ---------------------------------------------------------------------------

    /**
     * Reads an event record that upcasts to exactly one event.
     *
     * @throws EnvelopeFormatException if it upcasts to none or several: read those with {@link #readStoredEvents}
     */
    public Event<E> readEvent(byte[] bytes) {
        ObjectNode envelope = object(readTree(bytes, "event"), "event");
        List<Event<E>> read = readStoredEvents(envelope).events();
        if (read.size() != 1) {
            throw new EnvelopeFormatException("event " + textOrNull(envelope, EnvelopeFields.AGGREGATE_ID) + "@"
                    + envelope.get(EnvelopeFields.VERSION) + " of type '" + textOrNull(envelope, EnvelopeFields.TYPE) + "' v"
                    + typeVersionOf(envelope, "event") + " upcasts to " + read.size()
                    + " events: read with serdes().storedEvents()");
        }
        return read.get(0);
    }

    /**
     * Reads one stored event record as the events it is today: none when an upcaster dropped it,
     * several when one split it, each with the stored record's aggregate id, version, command id and
     * timestamp.
     */
    public List<Event<E>> readStoredEvents(byte[] bytes) {
        return readStoredEvent(bytes).events();
    }

    /** Reads one stored event record: its aggregate and version, and the events it is today (0..n). */
    public StoredEvent<E> readStoredEvent(byte[] bytes) {
        return readStoredEvents(object(readTree(bytes, "event"), "event"));
    }

    private StoredEvent<E> readStoredEvents(JsonNode json) {
        ObjectNode envelope = object(json, "event");
        List<E> payloads = events.read(text(envelope, EnvelopeFields.TYPE, "event"), typeVersionOf(envelope, "event"),
                envelope.get(EnvelopeFields.PAYLOAD));
        String aggregateId = text(envelope, EnvelopeFields.AGGREGATE_ID, "event");
        long version = number(envelope, EnvelopeFields.VERSION, "event");
        String commandId = text(envelope, EnvelopeFields.COMMAND_ID, "event");
        Instant timestamp = instant(envelope, EnvelopeFields.TIMESTAMP, "event");
        String correlationId = optionalText(envelope, EnvelopeFields.CORRELATION_ID, "event");
        Map<String, String> metadata = metadata(envelope, "event");
        List<Event<E>> read = new ArrayList<>(payloads.size());
        for (E payload : payloads) {
            read.add(construct("event", () -> new Event<>(aggregateId, version, commandId, timestamp, payload, correlationId, metadata)));
        }
        return construct("event", () -> new StoredEvent<>(aggregateId, version, commandId, read));
    }

    // ---- snapshots ------------------------------------------------------------------------

    /**
     * Reads a snapshot of the current state version.
     *
     * @throws SnapshotVersionException if it was written with another state version
     */
    public Snapshot<S> readSnapshot(byte[] bytes) {
        ObjectNode envelope = object(readTree(bytes, "snapshot"), "snapshot");
        requireCurrentState(envelope, "snapshot");
        S state = states.fromJson(text(envelope, EnvelopeFields.TYPE, "snapshot"), envelope.get(EnvelopeFields.STATE));
        return construct("snapshot", () -> new Snapshot<>(
                text(envelope, EnvelopeFields.AGGREGATE_ID, "snapshot"),
                number(envelope, EnvelopeFields.VERSION, "snapshot"),
                state));
    }

    // ---- results --------------------------------------------------------------------------

    public CommandResult<E, S> readResult(byte[] bytes) {
        ObjectNode envelope = object(readTree(bytes, "result"), "result");
        String kind = text(envelope, EnvelopeFields.KIND, "result");
        String commandId = text(envelope, EnvelopeFields.COMMAND_ID, "result");
        String aggregateId = text(envelope, EnvelopeFields.AGGREGATE_ID, "result");
        long version = number(envelope, EnvelopeFields.VERSION, "result");
        switch (kind) {
            case "ACCEPTED": {
                if (envelope.has(EnvelopeFields.EVENT_COUNT) && !envelope.has(EnvelopeFields.EVENTS)) {
                    long eventCount = number(envelope, EnvelopeFields.EVENT_COUNT, "result");
                    if (eventCount > Integer.MAX_VALUE) {
                        throw new EnvelopeFormatException("result field 'eventCount' is too large: " + eventCount);
                    }
                    return construct("result", () -> new CommandResult.AlreadyAccepted<>(commandId, aggregateId, version,
                            (int) eventCount));
                }
                JsonNode eventsJson = envelope.get(EnvelopeFields.EVENTS);
                if (eventsJson == null || !eventsJson.isArray()) {
                    throw new EnvelopeFormatException("result field 'events' must be an array");
                }
                // The state is there only when the sender asked for it; without it, any state version reads.
                boolean withState = envelope.has(EnvelopeFields.STATE);
                if (withState) {
                    requireCurrentState(envelope, "result");
                }
                List<Event<E>> list = new ArrayList<>(eventsJson.size());
                eventsJson.forEach(event -> list.addAll(readStoredEvents(event).events()));
                Optional<S> state = withState
                        ? Optional.of(states.fromJson(text(envelope, EnvelopeFields.STATE_TYPE, "result"), envelope.get(EnvelopeFields.STATE)))
                        : Optional.empty();
                return construct("result", () -> new CommandResult.Accepted<E, S>(commandId, aggregateId, version, list, state));
            }
            case "REJECTED": {
                ObjectNode rejection = object(envelope.get(EnvelopeFields.REJECTION), "result rejection");
                return construct("result", () -> new CommandResult.Rejected<>(commandId, aggregateId, version,
                        new Rejection(text(rejection, EnvelopeFields.CODE, "rejection"), text(rejection, EnvelopeFields.MESSAGE, "rejection"))));
            }
            case "CONFLICT":
                return construct("result", () -> new CommandResult.Conflict<>(commandId, aggregateId, version,
                        readExpectedVersion(envelope.get(EnvelopeFields.EXPECTED_VERSION))));
            case "FAILED":
                return construct("result", () -> new CommandResult.Failed<>(commandId, aggregateId, version,
                        text(envelope, EnvelopeFields.ERROR_TYPE, "result"), text(envelope, EnvelopeFields.MESSAGE, "result")));
            default:
                throw new EnvelopeFormatException("unknown result kind '" + kind
                        + "'; expected ACCEPTED, REJECTED, CONFLICT or FAILED");
        }
    }

    /**
     * How many event records an accepted result's envelope embeds, as stored: what its command
     * wrote to the events topic, whatever upcasting makes of them when read. 0 for other kinds.
     */
    public int storedEventCount(byte[] resultBytes) {
        JsonNode list = object(readTree(resultBytes, "result"), "result").get(EnvelopeFields.EVENTS);
        return list != null && list.isArray() ? list.size() : 0;
    }

    // ---- shared ---------------------------------------------------------------------------

    /** The state version a snapshot or result envelope was written with: its field, or 1 when absent. */
    public static int stateVersionOf(JsonNode envelope) {
        JsonNode node = envelope == null ? null : envelope.get(EnvelopeFields.STATE_VERSION);
        if (node == null || node.isNull()) {
            return EnvelopeSchema.FIRST_VERSION;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < EnvelopeSchema.FIRST_VERSION) {
            throw new EnvelopeFormatException("field '" + EnvelopeFields.STATE_VERSION + "' must be a whole number of at least 1 but was " + node);
        }
        return node.asInt();
    }

    /** The type version of a command or event envelope: its field, or 1 when absent. */
    private static int typeVersionOf(ObjectNode envelope, String what) {
        JsonNode node = envelope.get(EnvelopeFields.TYPE_VERSION);
        if (node == null || node.isNull()) {
            return EnvelopeSchema.FIRST_VERSION;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < EnvelopeSchema.FIRST_VERSION) {
            throw new EnvelopeFormatException(what + " field '" + EnvelopeFields.TYPE_VERSION
                    + "' must be a whole number of at least 1 but was " + node);
        }
        return node.asInt();
    }

    /** The one state-version check: a state of another version is never read as the current one. */
    private void requireCurrentState(ObjectNode envelope, String what) {
        int stored = stateVersionOf(envelope);
        if (stored != stateVersion) {
            throw new SnapshotVersionException(what, String.valueOf(textOrNull(envelope, EnvelopeFields.AGGREGATE_ID)), stored, stateVersion);
        }
    }

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
        if (json == null || json.isNull() || (json.isTextual() && json.asText().equals(EnvelopeFields.ANY))) {
            return ExpectedVersion.any();
        }
        if (json.isTextual() && json.asText().equals(EnvelopeFields.NO_STREAM)) {
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

    /** A string field that may be absent (or null): then null. */
    private static String optionalText(JsonNode json, String field, String what) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : text(json, field, what);
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
}
