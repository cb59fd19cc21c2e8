package io.eventfold.kafka.internal.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * The pending gauge of an aggregate type's gateways in one registry: the sum over the open ones.
 * The gauge is registered with the first and removed with the last, so that a registry never reads
 * a closed gateway and a later gateway gets a gauge that reads it.
 */
final class PendingSum {

    private static final Map<Key, PendingSum> SUMS = new ConcurrentHashMap<>();

    private record Key(MeterRegistry registry, String type) {
    }

    private final List<IntSupplier> gateways = new CopyOnWriteArrayList<>();
    private Gauge gauge;

    private PendingSum() {
    }

    /** Counts a gateway's pending commands until the returned action runs. */
    static Runnable add(MeterRegistry registry, String type, IntSupplier pending) {
        Key key = new Key(registry, type);
        SUMS.compute(key, (k, sum) -> {
            PendingSum counted = sum == null ? new PendingSum() : sum;
            if (counted.gauge == null) {
                counted.gauge = Gauge.builder(MeterNames.GATEWAY_PENDING, counted, PendingSum::total)
                        .description("Commands the gateways of the type wait for").tag(MeterNames.TYPE, type)
                        .strongReference(true).register(registry);
            }
            counted.gateways.add(pending);
            return counted;
        });
        return () -> SUMS.computeIfPresent(key, (k, sum) -> {
            sum.gateways.remove(pending);
            if (!sum.gateways.isEmpty()) {
                return sum;
            }
            registry.remove(sum.gauge);
            return null;
        });
    }

    private double total() {
        long total = 0;
        for (IntSupplier gateway : gateways) {
            total += gateway.getAsInt();
        }
        return total;
    }
}
