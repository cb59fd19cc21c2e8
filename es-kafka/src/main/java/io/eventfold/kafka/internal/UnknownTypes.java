package io.eventfold.kafka.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfold.kafka.json.JsonCodec;
import io.eventfold.kafka.json.Upcasters;

import java.util.ArrayList;
import java.util.List;

/**
 * The type names in an envelope that this build's codecs do not know: what tells a record written
 * by a newer build (an event or state type added since) from a broken one, once reading it failed.
 * Only the failure path asks, so reading a readable record costs nothing more.
 *
 * <p>A type is unknown when no codec of this build has a class for its name and no upcaster of
 * this build starts from it (a renamed type is known under its old name too).
 */
public final class UnknownTypes {

    private UnknownTypes() {
    }

    /**
     * The unknown type of an event or snapshot envelope: its {@code type} field.
     *
     * @param payloads the codec of the envelope's payload: events for an event, the state for a snapshot
     * @param bytes the envelope
     * @return the type name if the codec does not know it; empty otherwise, or when the bytes are no envelope
     */
    public static List<String> inEnvelope(JsonCodec<?> payloads, byte[] bytes) {
        return inEnvelope(payloads, Upcasters.none(), bytes);
    }

    /**
     * The unknown type of an event or snapshot envelope, counting the names upcasters start from as known.
     *
     * @param payloads the codec of the envelope's payload
     * @param upcasters the upcasters of those payloads: the event upcasters, or none for a snapshot
     * @param bytes the envelope
     * @return the type name if neither the codec nor an upcaster knows it; empty otherwise
     */
    public static List<String> inEnvelope(JsonCodec<?> payloads, Upcasters upcasters, byte[] bytes) {
        List<String> unknown = new ArrayList<>();
        addIfUnknown(payloads, upcasters, EnvelopeReader.textOrNull(tree(payloads, bytes), EnvelopeFields.TYPE), unknown);
        return unknown;
    }

    /**
     * The unknown types of a result envelope: those of its events, then that of its state.
     *
     * @param events the codec of event payloads
     * @param states the codec of the state
     * @param bytes the envelope
     * @return the unknown type names, each once; empty when every type is known or the bytes are no envelope
     */
    public static List<String> inResult(JsonCodec<?> events, JsonCodec<?> states, byte[] bytes) {
        return inResult(events, Upcasters.none(), states, bytes);
    }

    /**
     * The unknown types of a result envelope, counting the names event upcasters start from as known.
     *
     * @param events the codec of event payloads
     * @param eventUpcasters the event upcasters
     * @param states the codec of the state
     * @param bytes the envelope
     * @return the unknown type names, each once
     */
    public static List<String> inResult(JsonCodec<?> events, Upcasters eventUpcasters, JsonCodec<?> states, byte[] bytes) {
        List<String> unknown = new ArrayList<>();
        JsonNode result = tree(events, bytes);
        JsonNode list = result == null ? null : result.get(EnvelopeFields.EVENTS);
        if (list != null && list.isArray()) {
            list.forEach(event -> addIfUnknown(events, eventUpcasters, EnvelopeReader.textOrNull(event, EnvelopeFields.TYPE), unknown));
        }
        addIfUnknown(states, Upcasters.none(), EnvelopeReader.textOrNull(result, EnvelopeFields.STATE_TYPE), unknown);
        return unknown;
    }

    private static void addIfUnknown(JsonCodec<?> codec, Upcasters upcasters, String typeName, List<String> unknown) {
        if (typeName != null && !codec.typeNames().contains(typeName) && !upcasters.upcastsFrom(typeName)
                && !unknown.contains(typeName)) {
            unknown.add(typeName);
        }
    }

    private static JsonNode tree(JsonCodec<?> codec, byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            return codec.mapper().readTree(bytes);
        } catch (java.io.IOException | RuntimeException notJson) {
            return null;
        }
    }
}
