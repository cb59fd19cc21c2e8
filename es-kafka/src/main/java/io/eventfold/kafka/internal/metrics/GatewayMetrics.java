package io.eventfold.kafka.internal.metrics;

/** What a command gateway measures; {@link #NONE} without a meter registry. */
public interface GatewayMetrics extends AutoCloseable {

    /** Measures nothing. */
    GatewayMetrics NONE = new GatewayMetrics() {
    };

    /**
     * A command ended.
     *
     * @param outcome a result kind in lower case, {@code timeout} or {@code error}
     * @param nanos how long since it was sent
     */
    default void completed(String outcome, long nanos) {
    }

    /** Removes the gateway's meters from the registry, so another gateway of the type can register its own. */
    @Override
    default void close() {
    }
}
