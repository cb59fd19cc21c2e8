package io.eventfold.kafka.internal.metrics;

/** A projection runner's meters, read from the runner; {@link #NONE} without a meter registry. */
public interface ProjectionMetrics extends AutoCloseable {

    /** Registers nothing. */
    ProjectionMetrics NONE = new ProjectionMetrics() {
    };

    /** Removes the runner's meters from the registry, so a later runner of the projection registers its own. */
    @Override
    default void close() {
    }
}
