package io.eventfold.kafka.internal.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A projection runner's meters read the runner for as long as it runs, and leave the registry with it. */
class ProjectionMetersTest {

    @Test
    void theMetersReadTheRunnerAfterAGarbageCollection() {
        MeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong applied = new AtomicLong(7);
        AtomicLong skipped = new AtomicLong(2);
        AtomicLong lag = new AtomicLong(3);
        // Method references of objects, as the runner passes them: new objects nobody else holds.
        ProjectionMetrics meters = Meters.projection(registry, "list", applied::get, skipped::get, lag::get);
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        applied.set(9);

        assertThat(registry.get("eventfold.projection.applied").tag("projection", "list").functionCounter().count()).isEqualTo(9);
        assertThat(registry.get("eventfold.projection.skipped").tag("projection", "list").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("eventfold.projection.lag").tag("projection", "list").gauge().value()).isEqualTo(3);

        meters.close();
        assertThat(Search.in(registry).name(name -> name.startsWith("eventfold.projection")).meters()).isEmpty();
    }
}
