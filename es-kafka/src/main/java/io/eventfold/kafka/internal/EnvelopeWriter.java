package io.eventfold.kafka.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Snapshot;
import io.eventfold.kafka.EnvelopeFormatException;
import io.eventfold.kafka.JsonCodec;
import io.eventfold.kafka.internal.EnvelopeJson.Fields;
import io.eventfold.kafka.internal.EnvelopeJson.Written;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes envelopes straight to JSON text, with no intermediate tree. Within one outcome, each
 * event envelope and the state are written once and embedded as written wherever else they
 * appear: an event in its envelope and in the result, the state in the snapshot and in the result.
 */
final class EnvelopeWriter<C, E, S> {

    static final String ANY = "any";
    static final String NO_STREAM = "noStream";

    private final JsonCodec<C> commands;
    private final JsonCodec<E> events;
    private final JsonCodec<S> states;
    /** A writer applies the mapper's serialization settings to every generator it creates. */
    private final ObjectWriter writer;

    EnvelopeWriter(JsonCodec<C> commands, JsonCodec<E> events, JsonCodec<S> states) {
        this.commands = commands;
        this.events = events;
        this.states = states;
        this.writer = events.mapper().writer();
    }

    byte[] command(Command<C> command) {
        String payload = json(commands, command.payload());
        return bytes(g -> {
            g.writeStringField(Fields.COMMAND_ID, command.commandId());
            g.writeStringField(Fields.AGGREGATE_ID, command.aggregateId());
            expectedVersion(g, Fields.EXPECTED_VERSION, command.expectedVersion());
            g.writeStringField(Fields.TYPE, commands.typeName(command.payload()));
            g.writeFieldName(Fields.PAYLOAD);
            g.writeRawValue(payload);
            if (!command.metadata().isEmpty()) {
                g.writeObjectFieldStart(Fields.METADATA);
                for (var entry : command.metadata().entrySet()) {
                    g.writeStringField(entry.getKey(), entry.getValue());
                }
                g.writeEndObject();
            }
        });
    }

    byte[] event(Event<E> event) {
        return utf8(eventJson(event));
    }

    byte[] snapshot(Snapshot<S> snapshot) {
        return snapshot(snapshot, json(states, snapshot.state()));
    }

    byte[] result(CommandResult<E, S> result) {
        return outcome(List.of(), null, result).result();
    }

    /**
     * The envelopes of an outcome: its events, its snapshot (or null) and its result, each
     * payload and the state serialized once.
     */
    Written outcome(List<Event<E>> newEvents, Snapshot<S> snapshot, CommandResult<E, S> result) {
        List<String> eventJson = new ArrayList<>(newEvents.size());
        List<byte[]> eventBytes = new ArrayList<>(newEvents.size());
        for (Event<E> event : newEvents) {
            String json = eventJson(event);
            eventJson.add(json);
            eventBytes.add(utf8(json));
        }
        String stateJson = snapshot == null ? null : json(states, snapshot.state());
        byte[] snapshotBytes = snapshot == null ? null : snapshot(snapshot, stateJson);
        byte[] resultBytes = bytes(g -> {
            g.writeStringField(Fields.KIND, result.kind().name());
            g.writeStringField(Fields.COMMAND_ID, result.commandId());
            g.writeStringField(Fields.AGGREGATE_ID, result.aggregateId());
            g.writeNumberField(Fields.VERSION, result.version());
            if (result instanceof CommandResult.Accepted<E, S> accepted) {
                g.writeArrayFieldStart(Fields.EVENTS);
                for (int i = 0; i < accepted.events().size(); i++) {
                    Event<E> event = accepted.events().get(i);
                    boolean written = i < newEvents.size() && newEvents.get(i) == event;
                    g.writeRawValue(written ? eventJson.get(i) : eventJson(event));
                }
                g.writeEndArray();
                g.writeStringField(Fields.STATE_TYPE, states.typeName(accepted.state()));
                g.writeFieldName(Fields.STATE);
                boolean written = snapshot != null && snapshot.state() == accepted.state();
                g.writeRawValue(written ? stateJson : json(states, accepted.state()));
            } else if (result instanceof CommandResult.Rejected<E, S> rejected) {
                g.writeObjectFieldStart(Fields.REJECTION);
                g.writeStringField(Fields.CODE, rejected.rejection().code());
                g.writeStringField(Fields.MESSAGE, rejected.rejection().message());
                g.writeEndObject();
            } else if (result instanceof CommandResult.Conflict<E, S> conflict) {
                expectedVersion(g, Fields.EXPECTED_VERSION, conflict.expected());
            } else if (result instanceof CommandResult.Failed<E, S> failed) {
                g.writeStringField(Fields.ERROR_TYPE, failed.errorType());
                g.writeStringField(Fields.MESSAGE, failed.message());
            }
        });
        return new Written(eventBytes, snapshotBytes, resultBytes);
    }

    private String eventJson(Event<E> event) {
        String payload = json(events, event.payload());
        return text(g -> {
            g.writeStringField(Fields.AGGREGATE_ID, event.aggregateId());
            g.writeNumberField(Fields.VERSION, event.version());
            g.writeStringField(Fields.TYPE, events.typeName(event.payload()));
            g.writeStringField(Fields.COMMAND_ID, event.commandId());
            g.writeStringField(Fields.TIMESTAMP, event.timestamp().toString());
            g.writeFieldName(Fields.PAYLOAD);
            g.writeRawValue(payload);
        });
    }

    private byte[] snapshot(Snapshot<S> snapshot, String stateJson) {
        return bytes(g -> {
            g.writeStringField(Fields.AGGREGATE_ID, snapshot.aggregateId());
            g.writeNumberField(Fields.VERSION, snapshot.version());
            g.writeStringField(Fields.TYPE, states.typeName(snapshot.state()));
            g.writeFieldName(Fields.STATE);
            g.writeRawValue(stateJson);
        });
    }

    /** A payload's JSON, without its type name, after checking that its type is registered. */
    private <T> String json(JsonCodec<T> codec, T value) {
        codec.typeName(value);
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new EnvelopeFormatException("cannot write " + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
        }
    }

    private static void expectedVersion(JsonGenerator g, String field, ExpectedVersion expected) throws IOException {
        if (expected instanceof ExpectedVersion.Exactly exactly) {
            g.writeNumberField(field, exactly.version());
        } else if (expected instanceof ExpectedVersion.NoStream) {
            g.writeStringField(field, NO_STREAM);
        } else {
            g.writeStringField(field, ANY);
        }
    }

    /** The fields of one JSON object, written to a generator positioned inside it. */
    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator generator) throws IOException;
    }

    private byte[] bytes(Body body) {
        try (ByteArrayBuilder out = new ByteArrayBuilder()) {
            try (JsonGenerator generator = writer.createGenerator(out, JsonEncoding.UTF8)) {
                object(generator, body);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new EnvelopeFormatException("cannot write envelope: " + e.getMessage(), e);
        }
    }

    private String text(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator generator = writer.createGenerator(out)) {
            object(generator, body);
        } catch (IOException e) {
            throw new EnvelopeFormatException("cannot write envelope: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static void object(JsonGenerator generator, Body body) throws IOException {
        generator.writeStartObject();
        body.write(generator);
        generator.writeEndObject();
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
