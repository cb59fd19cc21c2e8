package io.eventfold.kafka.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfold.kafka.json.JsonCodec;

import java.util.ArrayList;
import java.util.List;

/**
 * The type names in an envelope that this build's codecs do not know: what tells a record written
 * by a newer build (an event or state type added since) from a broken one, once reading it failed.
 * Only the failure path asks, so reading a readable record costs nothing more.
 *
 * <p>A type is unknown when no codec of this build has a class for its name. Types that an
 * upcaster of this build could turn into a known one would count as known here.
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
        List<String> unknown = new ArrayList<>();
        addIfUnknown(payloads, EnvelopeReader.textOrNull(tree(payloads, bytes), EnvelopeFields.TYPE), unknown);
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
        List<String> unknown = new ArrayList<>();
        JsonNode result = tree(events, bytes);
        JsonNode list = result == null ? null : result.get(EnvelopeFields.EVENTS);
        if (list != null && list.isArray()) {
            list.forEach(event -> addIfUnknown(events, EnvelopeReader.textOrNull(event, EnvelopeFields.TYPE), unknown));
        }
        addIfUnknown(states, EnvelopeReader.textOrNull(result, EnvelopeFields.STATE_TYPE), unknown);
        return unknown;
    }

    private static void addIfUnknown(JsonCodec<?> codec, String typeName, List<String> unknown) {
        if (typeName != null && !codec.typeNames().contains(typeName) && !unknown.contains(typeName)) {
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
