package io.eventfold.kafka.internal.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * A projection runner's meters, read from the runner when the registry publishes. Removed when the
 * runner closes: Micrometer would otherwise hand a later runner of the projection the meters that
 * read this one.
 */
final class MicrometerProjectionMetrics implements ProjectionMetrics {

    private final MeterRegistry registry;
    private final List<Meter> meters;
    /**
     * Micrometer holds a function counter's object weakly: these references keep the runner's
     * suppliers (method references nobody else holds) for as long as the runner keeps this.
     */
    private final List<LongSupplier> readers;

    MicrometerProjectionMetrics(MeterRegistry registry, String projection, LongSupplier applied, LongSupplier skipped,
                                LongSupplier lag) {
        this.registry = registry;
        this.readers = List.of(applied, skipped, lag);
        this.meters = List.of(
                FunctionCounter.builder(MeterNames.PROJECTION_APPLIED, applied, LongSupplier::getAsLong)
                        .description("Records the projection applied since its runner started")
                        .tag(MeterNames.PROJECTION, projection).register(registry),
                FunctionCounter.builder(MeterNames.PROJECTION_SKIPPED, skipped, LongSupplier::getAsLong)
                        .description("Records the projection passed over").tag(MeterNames.PROJECTION, projection)
                        .register(registry),
                Gauge.builder(MeterNames.PROJECTION_LAG, lag, LongSupplier::getAsLong)
                        .description("Records between the projection's position and the end of its topic")
                        .tag(MeterNames.PROJECTION, projection).strongReference(true).register(registry));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
