package io.eventfold.kafka.json;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * A command or event payload as it was stored: its type name, the version of that type's schema it
 * was written with ({@code "typeVersion"} in the envelope, 1 when absent) and its JSON, before it
 * becomes a Java object. {@link Upcaster}s turn stored payloads into the ones the code reads today.
 *
 * <pre>{@code
 * StoredPayload stored = new StoredPayload("PaymentReceived", 1, json);
 * StoredPayload renamed = stored.withType("InvoicePaid");   // same version and JSON
 * }</pre>
 *
 * @param type the type name, as the codec of its time wrote it
 * @param version the type's schema version, at least 1
 * @param json the payload; upcasters may change it in place, it is freshly parsed for each read
 */
public record StoredPayload(String type, int version, ObjectNode json) {

    /**
     * Checks the parts.
     *
     * <pre>{@code
     * new StoredPayload("LineItemAdded", 1, (ObjectNode) envelope.get("payload"))
     * }</pre>
     *
     * @param type the type name
     * @param version the version, at least 1
     * @param json the payload
     * @throws IllegalArgumentException if the type is blank or the version below 1
     */
    public StoredPayload {
        Objects.requireNonNull(type, "type must not be null");
        if (type.isBlank()) {
            throw new IllegalArgumentException("type must not be blank");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version of '" + type + "' must be at least 1 but was " + version);
        }
        Objects.requireNonNull(json, () -> "json of '" + type + "' must not be null");
    }

    /**
     * The same payload under another type name.
     *
     * <pre>{@code
     * stored.withType("InvoicePaid")
     * }</pre>
     *
     * @param newType the type name
     * @return a copy with that type
     */
    public StoredPayload withType(String newType) {
        return new StoredPayload(newType, version, json);
    }

    /**
     * The same payload at another version.
     *
     * <pre>{@code
     * stored.withVersion(stored.version() + 1)
     * }</pre>
     *
     * @param newVersion the version, at least 1
     * @return a copy at that version
     */
    public StoredPayload withVersion(int newVersion) {
        return new StoredPayload(type, newVersion, json);
    }

    /**
     * The same type and version with other JSON.
     *
     * <pre>{@code
     * stored.withJson(stored.json().deepCopy())
     * }</pre>
     *
     * @param newJson the payload
     * @return a copy with that JSON
     */
    public StoredPayload withJson(ObjectNode newJson) {
        return new StoredPayload(type, version, newJson);
    }

    @Override
    public String toString() {
        return type + " v" + version + " " + json;
    }
}
