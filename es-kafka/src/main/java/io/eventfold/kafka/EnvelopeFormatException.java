package io.eventfold.kafka;

import io.eventfold.kafka.json.JsonCodec;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A payload or envelope could not be written or read as JSON: malformed bytes, a missing field,
 * or a type name that the {@link JsonCodec} does not know.
 *
 * <pre>{@code
 * try {
 *     serdes.commands().deserializer().deserialize(topic, bytes);
 * } catch (EnvelopeFormatException e) {
 *     log.warn("unreadable command: {}", e.getMessage());
 * }
 * }</pre>
 */
public class EnvelopeFormatException extends SerializationException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that says what could not be read or written.
     *
     * @param message what went wrong, naming the field or type
     */
    public EnvelopeFormatException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and its cause.
     *
     * @param message what went wrong, naming the field or type
     * @param cause the underlying Jackson or I/O error
     */
    public EnvelopeFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
