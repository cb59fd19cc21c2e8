package io.eventfold.embedded;

/**
 * Thrown when an {@link EmbeddedKafka} broker cannot be started; the message names its data
 * directory, the cause says why.
 *
 * <pre>{@code
 * try {
 *     kafka.start();
 * } catch (EmbeddedKafkaException e) {
 *     // e.g. "could not start the Kafka broker (data /tmp/kafka)", caused by a port in use
 * }
 * }</pre>
 */
public final class EmbeddedKafkaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
