package io.eventfold.kafka.internal.metrics;

import io.eventfold.core.CommandResult;
import io.eventfold.kafka.RebuildStatus;
import io.eventfold.kafka.internal.RebuildRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command meters of one aggregate type in a Micrometer registry. The meters are shared by the
 * type's tasks in the instance (Micrometer returns the registered meter for the same name and
 * tags), so they are never removed: tasks come and go with rebalances.
 */
final class MicrometerCommandMetrics implements CommandMetrics {

    private final Map<CommandResult.Kind, Counter> answered = new EnumMap<>(CommandResult.Kind.class);
    private final Map<DeadlineMeter, Counter> deadlines = new EnumMap<>(DeadlineMeter.class);
    private final Counter duplicates;
    private final Counter events;
    private final Counter deadLetters;
    private final Timer handling;

    MicrometerCommandMetrics(MeterRegistry registry, String type, String deadLetterTopic, RebuildRegistry rebuilds) {
        for (CommandResult.Kind kind : CommandResult.Kind.values()) {
            answered.put(kind, Counter.builder(MeterNames.COMMANDS).description("Commands answered now, by result kind")
                    .tag(MeterNames.TYPE, type).tag(MeterNames.KIND, MeterNames.tagValue(kind)).register(registry));
        }
        for (DeadlineMeter change : DeadlineMeter.values()) {
            deadlines.put(change, Counter.builder(MeterNames.DEADLINES).description("Deadlines scheduled, cancelled and fired")
                    .tag(MeterNames.TYPE, type).tag(MeterNames.CHANGE, MeterNames.tagValue(change)).register(registry));
        }
        this.duplicates = Counter.builder(MeterNames.DUPLICATES).description("Commands answered with their remembered result")
                .tag(MeterNames.TYPE, type).register(registry);
        this.events = Counter.builder(MeterNames.EVENTS).description("Events appended").tag(MeterNames.TYPE, type)
                .register(registry);
        this.deadLetters = MicrometerMeters.deadLetters(registry, deadLetterTopic);
        this.handling = Timer.builder(MeterNames.HANDLING).description("Time a command record takes in the command processor")
                .tag(MeterNames.TYPE, type).publishPercentiles(MicrometerMeters.PERCENTILES).register(registry);
        // The registry is one per application and type in the JVM: a strong reference for the gauges is right.
        Gauge.builder(MeterNames.REBUILD_REMAINING, rebuilds, MicrometerCommandMetrics::remainingEvents)
                .description("Events still to replay by this instance's partitions that rebuild their snapshots")
                .tag(MeterNames.TYPE, type).strongReference(true).register(registry);
        Gauge.builder(MeterNames.REBUILD_WAITING, rebuilds, MicrometerCommandMetrics::waitingPartitions)
                .description("This instance's partitions whose commands wait for their snapshots")
                .tag(MeterNames.TYPE, type).strongReference(true).register(registry);
    }

    private static double remainingEvents(RebuildRegistry rebuilds) {
        long remaining = 0;
        for (RebuildStatus status : rebuilds.statuses()) {
            if (!status.handlesCommands()) {
                remaining += Math.max(0, status.offsetsTotal() - status.offsetsRead());
            }
        }
        return remaining;
    }

    private static double waitingPartitions(RebuildRegistry rebuilds) {
        return rebuilds.statuses().stream().filter(status -> !status.handlesCommands()).count();
    }

    @Override
    public void answered(CommandResult.Kind kind) {
        answered.get(kind).increment();
    }

    @Override
    public void duplicate() {
        duplicates.increment();
    }

    @Override
    public void appended(int count) {
        events.increment(count);
    }

    @Override
    public void deadLettered() {
        deadLetters.increment();
    }

    @Override
    public void deadline(DeadlineMeter change) {
        deadlines.get(change).increment();
    }

    @Override
    public void handled(long nanos) {
        handling.record(nanos, TimeUnit.NANOSECONDS);
    }
}
