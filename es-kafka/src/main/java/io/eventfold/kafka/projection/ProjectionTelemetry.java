package io.eventfold.kafka.projection;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;

import java.util.Objects;

/**
 * Where a {@link ProjectionRunner} reports: a Micrometer registry for its meters
 * ({@code eventfold.projection.applied}, {@code .skipped}, {@code .lag}, tagged with the
 * projection's name and removed when the runner closes) and an OpenTelemetry instance for its
 * {@code apply} spans (a child of the {@code handle} span whose events a batch applies). See
 * docs/operations.md.
 *
 * <p>Kept apart from {@code ProjectionRunner} so that the runner's own methods name neither
 * Micrometer nor OpenTelemetry: a framework that reflects on a runner (a Spring bean, say) works
 * without them on the class path. Each is optional; without a registry nothing is measured, without
 * an OpenTelemetry instance the runner uses {@code GlobalOpenTelemetry} when the API is present.
 *
 * <pre>{@code
 * ProjectionRunner.forEvents(invoices, "localhost:9092", "invoice-history", history, store)
 *         .withTelemetry(ProjectionTelemetry.create().meterRegistry(registry).openTelemetry(openTelemetry))
 *         .start();
 * }</pre>
 */
public final class ProjectionTelemetry {

    private static final ProjectionTelemetry NONE = new ProjectionTelemetry(null, null);
    /** Where an OpenTelemetry instance comes from, as errors name it. */
    static final String OPEN_TELEMETRY_SETTING = "ProjectionTelemetry.openTelemetry";

    /** An io.micrometer.core.instrument.MeterRegistry, or null; held as an Object so this class loads without Micrometer. */
    private final Object meterRegistry;
    /** An io.opentelemetry.api.OpenTelemetry, or null (the default); held as an Object for the same reason. */
    private final Object openTelemetry;

    private ProjectionTelemetry(Object meterRegistry, Object openTelemetry) {
        this.meterRegistry = meterRegistry;
        this.openTelemetry = openTelemetry;
    }

    /**
     * No registry, and the default tracing.
     *
     * @return the empty telemetry, to add to
     */
    public static ProjectionTelemetry create() {
        return NONE;
    }

    /**
     * With a Micrometer registry.
     *
     * @param registry where the runner's meters go
     * @return a new telemetry
     */
    public ProjectionTelemetry meterRegistry(MeterRegistry registry) {
        return new ProjectionTelemetry(Objects.requireNonNull(registry, "registry must not be null"), openTelemetry);
    }

    /**
     * With an OpenTelemetry instance instead of the default.
     *
     * @param openTelemetry what the runner traces with
     * @return a new telemetry
     */
    public ProjectionTelemetry openTelemetry(OpenTelemetry openTelemetry) {
        return new ProjectionTelemetry(meterRegistry, Objects.requireNonNull(openTelemetry, "openTelemetry must not be null"));
    }

    Object meterRegistryOrNull() {
        return meterRegistry;
    }

    Object openTelemetryOrNull() {
        return openTelemetry;
    }
}
