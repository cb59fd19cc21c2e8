package io.eventfold.kafka.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfold.kafka.EnvelopeFormatException;
import io.eventfold.kafka.json.JsonCodec;
import io.eventfold.kafka.json.StoredPayload;
import io.eventfold.kafka.json.Upcasters;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place a stored command or event payload becomes Java objects: its upcasters run while one
 * matches its (type, version), then the codec reads what they end in. A type the codec knows at an
 * older version than its current one, with no upcaster to take it further, is refused; a newer
 * version, written by a newer build, is read as it is (unknown properties are ignored).
 *
 * @param <T> the payload type
 */
final class PayloadReader<T> {

    private final JsonCodec<T> codec;
    private final Upcasters upcasters;

    PayloadReader(JsonCodec<T> codec, Upcasters upcasters) {
        this.codec = codec;
        this.upcasters = upcasters;
    }

    /** The payloads a stored one becomes today: usually one, none when dropped, several when split. */
    List<T> read(String type, int version, JsonNode payload) {
        if (!upcasters.upcastsFrom(type)) {
            // The common case costs one map lookup: no upcaster touches this type, its version is 1 or newer.
            return List.of(codec.fromJson(type, payload));
        }
        if (payload == null || !payload.isObject()) {
            throw new EnvelopeFormatException(what() + " type '" + type + "' v" + version
                    + " must have a JSON object as payload to be upcast but was " + (payload == null ? "missing" : payload.getNodeType()));
        }
        List<StoredPayload> today = upcasters.apply(new StoredPayload(type, version, (ObjectNode) payload));
        List<T> read = new ArrayList<>(today.size());
        for (StoredPayload each : today) {
            read.add(decode(each));
        }
        return read;
    }

    private T decode(StoredPayload payload) {
        int current = upcasters.currentVersion(payload.type());
        if (payload.version() < current && codec.typeNames().contains(payload.type())) {
            throw new EnvelopeFormatException(what() + " type '" + payload.type() + "' v" + payload.version()
                    + " cannot be read: no upcaster starts from v" + payload.version() + " and its current version is " + current);
        }
        return codec.fromJson(payload.type(), payload.json());
    }

    /** The version a payload type is written at today. */
    int currentVersion(String type) {
        return upcasters.currentVersion(type);
    }

    private String what() {
        return codec.type().getSimpleName();
    }
}
