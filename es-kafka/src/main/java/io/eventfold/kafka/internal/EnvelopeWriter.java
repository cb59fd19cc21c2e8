package io.eventfold.kafka.internal;

import io.eventfold.kafka.EnvelopeFormatException;
import io.eventfold.kafka.json.JsonCodec;
import io.eventfold.kafka.json.Upcasters;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Snapshot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes envelopes straight to UTF-8 JSON, with no intermediate tree. Within one outcome, each
 * event envelope and the state are written once and embedded as written wherever else they
 * appear: an event in its envelope and in the result, the state in the snapshot and in the result.
 * Every fragment is written by a UTF-8 generator and embedded as bytes, so the escaping is the
 * same everywhere (characters outside the Basic Multilingual Plane and unpaired surrogates are
 * written as escapes) and nothing passes through a Java string on the way.
 */
public final class EnvelopeWriter<C, E, S> {


    private final JsonCodec<C> commands;
    private final JsonCodec<E> events;
    private final JsonCodec<S> states;
    private final int stateVersion;
    private final Upcasters commandUpcasters;
    private final Upcasters eventUpcasters;

    public EnvelopeWriter(EnvelopeSchema<C, E, S> schema) {
        this.commands = schema.commands();
        this.events = schema.events();
        this.states = schema.states();
        this.stateVersion = schema.stateVersion();
        this.commandUpcasters = schema.commandUpcasters();
        this.eventUpcasters = schema.eventUpcasters();
    }

    public byte[] command(Command<C> command) {
        RawJson payload = json(commands, command.payload());
        return write(g -> {
            g.writeStringField(EnvelopeFields.COMMAND_ID, command.commandId());
            correlationId(g, command.correlation(), command.commandId());
            g.writeStringField(EnvelopeFields.AGGREGATE_ID, command.aggregateId());
            expectedVersion(g, EnvelopeFields.EXPECTED_VERSION, command.expectedVersion());
            String type = commands.typeName(command.payload());
            g.writeStringField(EnvelopeFields.TYPE, type);
            typeVersion(g, commandUpcasters.currentVersion(type));
            g.writeFieldName(EnvelopeFields.PAYLOAD);
            g.writeRawValue(payload);
            metadata(g, command.metadata());
        });
    }

    public byte[] event(Event<E> event) {
        return eventJson(event).bytes();
    }

    public byte[] snapshot(Snapshot<S> snapshot) {
        return snapshot(snapshot, json(states, snapshot.state()));
    }

    public byte[] result(CommandResult<E, S> result) {
        return outcome(List.of(), null, result).result();
    }

    /** The envelopes of one handled command; {@code snapshot} is null when the state did not change. */
    public record Written(List<byte[]> events, byte[] snapshot, byte[] result) {
    }

    /**
     * The envelopes of an outcome: its events, its snapshot (or null) and its result, each
     * payload and the state serialized once.
     */
    public Written outcome(List<Event<E>> newEvents, Snapshot<S> snapshot, CommandResult<E, S> result) {
        List<RawJson> eventJson = new ArrayList<>(newEvents.size());
        List<byte[]> eventBytes = new ArrayList<>(newEvents.size());
        for (Event<E> event : newEvents) {
            RawJson json = eventJson(event);
            eventJson.add(json);
            eventBytes.add(json.bytes());
        }
        RawJson stateJson = snapshot == null ? null : json(states, snapshot.state());
        byte[] snapshotBytes = snapshot == null ? null : snapshot(snapshot, stateJson);
        byte[] resultBytes = write(g -> {
            g.writeStringField(EnvelopeFields.KIND, result.kind().name());
            g.writeStringField(EnvelopeFields.COMMAND_ID, result.commandId());
            g.writeStringField(EnvelopeFields.AGGREGATE_ID, result.aggregateId());
            g.writeNumberField(EnvelopeFields.VERSION, result.version());
            if (result instanceof CommandResult.Accepted<E, S> accepted) {
                g.writeArrayFieldStart(EnvelopeFields.EVENTS);
                for (int i = 0; i < accepted.events().size(); i++) {
                    Event<E> event = accepted.events().get(i);
                    boolean written = i < newEvents.size() && newEvents.get(i) == event;
                    g.writeRawValue(written ? eventJson.get(i) : eventJson(event));
                }
                g.writeEndArray();
                if (accepted.state().isPresent()) {
                    S state = accepted.state().get();
                    g.writeStringField(EnvelopeFields.STATE_TYPE, states.typeName(state));
                    stateVersion(g);
                    g.writeFieldName(EnvelopeFields.STATE);
                    boolean written = snapshot != null && snapshot.state() == state;
                    g.writeRawValue(written ? stateJson : json(states, state));
                }
            } else if (result instanceof CommandResult.AlreadyAccepted<E, S> earlier) {
                g.writeNumberField(EnvelopeFields.EVENT_COUNT, earlier.eventCount());
            } else if (result instanceof CommandResult.Rejected<E, S> rejected) {
                g.writeObjectFieldStart(EnvelopeFields.REJECTION);
                g.writeStringField(EnvelopeFields.CODE, rejected.rejection().code());
                g.writeStringField(EnvelopeFields.MESSAGE, rejected.rejection().message());
                g.writeEndObject();
            } else if (result instanceof CommandResult.Conflict<E, S> conflict) {
                expectedVersion(g, EnvelopeFields.EXPECTED_VERSION, conflict.expected());
            } else if (result instanceof CommandResult.Failed<E, S> failed) {
                g.writeStringField(EnvelopeFields.ERROR_TYPE, failed.errorType());
                g.writeStringField(EnvelopeFields.MESSAGE, failed.message());
            }
        });
        return new Written(eventBytes, snapshotBytes, resultBytes);
    }

    private RawJson eventJson(Event<E> event) {
        RawJson payload = json(events, event.payload());
        return new RawJson(write(g -> {
            g.writeStringField(EnvelopeFields.AGGREGATE_ID, event.aggregateId());
            g.writeNumberField(EnvelopeFields.VERSION, event.version());
            String type = events.typeName(event.payload());
            g.writeStringField(EnvelopeFields.TYPE, type);
            typeVersion(g, eventUpcasters.currentVersion(type));
            g.writeStringField(EnvelopeFields.COMMAND_ID, event.commandId());
            correlationId(g, event.correlationId(), event.commandId());
            g.writeStringField(EnvelopeFields.TIMESTAMP, event.timestamp().toString());
            g.writeFieldName(EnvelopeFields.PAYLOAD);
            g.writeRawValue(payload);
            metadata(g, event.metadata());
        }));
    }

    private byte[] snapshot(Snapshot<S> snapshot, RawJson stateJson) {
        return write(g -> {
            g.writeStringField(EnvelopeFields.AGGREGATE_ID, snapshot.aggregateId());
            g.writeNumberField(EnvelopeFields.VERSION, snapshot.version());
            g.writeStringField(EnvelopeFields.TYPE, states.typeName(snapshot.state()));
            stateVersion(g);
            g.writeFieldName(EnvelopeFields.STATE);
            g.writeRawValue(stateJson);
        });
    }

    /** Written only when it differs from the command id, so that a chain's first command and its events keep the bytes they had before correlation ids. */
    private static void correlationId(JsonGenerator g, String correlationId, String commandId) throws IOException {
        if (!correlationId.equals(commandId)) {
            g.writeStringField(EnvelopeFields.CORRELATION_ID, correlationId);
        }
    }

    /** Written only when there is some; sorted by key, so equal metadata is written to equal bytes. */
    private static void metadata(JsonGenerator g, Map<String, String> metadata) throws IOException {
        if (!metadata.isEmpty()) {
            g.writeObjectFieldStart(EnvelopeFields.METADATA);
            for (var entry : new TreeMap<>(metadata).entrySet()) {
                g.writeStringField(entry.getKey(), entry.getValue());
            }
            g.writeEndObject();
        }
    }

    /** Written only above the first version, so that records of payload types that never changed keep their bytes. */
    private static void typeVersion(JsonGenerator g, int version) throws IOException {
        if (version > EnvelopeSchema.FIRST_VERSION) {
            g.writeNumberField(EnvelopeFields.TYPE_VERSION, version);
        }
    }

    /** Written only above the first version, so that records of types that never changed keep their bytes. */
    private void stateVersion(JsonGenerator g) throws IOException {
        if (stateVersion > EnvelopeSchema.FIRST_VERSION) {
            g.writeNumberField(EnvelopeFields.STATE_VERSION, stateVersion);
        }
    }

    /** A payload's JSON, written by its own codec's mapper, after checking that its type is registered. */
    private static <T> RawJson json(JsonCodec<T> codec, T value) {
        codec.typeName(value);
        try {
            return new RawJson(codec.mapper().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new EnvelopeFormatException("cannot write " + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
        }
    }

    private static void expectedVersion(JsonGenerator g, String field, ExpectedVersion expected) throws IOException {
        if (expected instanceof ExpectedVersion.Exactly exactly) {
            g.writeNumberField(field, exactly.version());
        } else if (expected instanceof ExpectedVersion.NoStream) {
            g.writeStringField(field, EnvelopeFields.NO_STREAM);
        } else {
            g.writeStringField(field, EnvelopeFields.ANY);
        }
    }

    /** The fields of one JSON object, written to a generator positioned inside it. */
    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator generator) throws IOException;
    }

    /**
     * One envelope object. The generator comes from the mapper each time, so settings made on the
     * mapper after the codecs were built still apply, as they do to payloads.
     */
    private byte[] write(Body body) {
        try (ByteArrayBuilder out = new ByteArrayBuilder()) {
            try (JsonGenerator generator = events.mapper().createGenerator(out, JsonEncoding.UTF8)) {
                generator.writeStartObject();
                body.write(generator);
                generator.writeEndObject();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new EnvelopeFormatException("cannot write envelope: " + e.getMessage(), e);
        }
    }
}
