package io.eventfold.kafka.internal;

import org.apache.kafka.common.header.Headers;

/**
 * One traced step ({@link Tracing#SEND}, {@link Tracing#HANDLE}, {@link Tracing#REACT},
 * {@link Tracing#APPLY}): describes itself with attributes, and puts the trace headers its outputs
 * continue on them. Without OpenTelemetry the attributes go nowhere.
 *
 * <pre>{@code
 * try (TracedWork handle = tracing.consume(Tracing.HANDLE, topic, record.headers(), true)) {
 *     handle.attribute(Tracing.AGGREGATE_ID, key);
 *     handle.putOn(eventHeaders);
 * }
 * }</pre>
 */
public interface TracedWork extends AutoCloseable {

    /** Work that traces nothing and puts nothing on outputs. */
    TracedWork NONE = new TracedWork() {
    };

    /**
     * Puts the trace headers an output of this work carries, in place of any it has.
     *
     * @param headers the output's headers
     */
    default void putOn(Headers headers) {
    }

    /**
     * Describes the work; a null value is left out.
     *
     * @param key the attribute, one of {@link Tracing}'s
     * @param value its value
     */
    default void attribute(String key, String value) {
    }

    /**
     * Describes the work with a number.
     *
     * @param key the attribute, one of {@link Tracing}'s
     * @param value its value
     */
    default void attribute(String key, long value) {
    }

    /**
     * Marks the work as failed.
     *
     * @param errorType the error's class name
     * @param message what went wrong
     */
    default void failed(String errorType, String message) {
    }

    /** Ends the work; a second call does nothing. */
    @Override
    default void close() {
    }
}
