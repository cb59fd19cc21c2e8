package io.eventfold.kafka.internal.metrics;

import io.eventfold.core.CommandResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A gateway's meters in a Micrometer registry. The timers are shared by the gateways of a type in
 * the registry, like any meter of the same name and tags; the pending gauge sums the gateways of
 * the type still open ({@link PendingSum}), so a closed one is not read.
 */
final class MicrometerGatewayMetrics implements GatewayMetrics {

    private static final List<String> OUTCOMES = outcomes();

    private final Map<String, Timer> commands = new HashMap<>();
    private final Runnable stopCounting;

    MicrometerGatewayMetrics(MeterRegistry registry, String type, IntSupplier pending) {
        for (String outcome : OUTCOMES) {
            Timer timer = Timer.builder(MeterNames.GATEWAY_COMMANDS).description("Commands sent, from send to answer, by outcome")
                    .tag(MeterNames.TYPE, type).tag(MeterNames.OUTCOME, outcome)
                    .publishPercentiles(MicrometerMeters.PERCENTILES).register(registry);
            commands.put(outcome, timer);
        }
        this.stopCounting = PendingSum.add(registry, type, pending);
    }

    private static List<String> outcomes() {
        List<String> outcomes = new ArrayList<>();
        for (CommandResult.Kind kind : CommandResult.Kind.values()) {
            outcomes.add(MeterNames.tagValue(kind));
        }
        outcomes.add(GatewayOutcomes.TIMEOUT);
        outcomes.add(GatewayOutcomes.ERROR);
        return List.copyOf(outcomes);
    }

    @Override
    public void completed(String outcome, long nanos) {
        Timer timer = commands.get(outcome);
        if (timer != null) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void close() {
        stopCounting.run();
    }
}
