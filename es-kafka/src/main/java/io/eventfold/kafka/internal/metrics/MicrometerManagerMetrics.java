package io.eventfold.kafka.internal.metrics;

import io.eventfold.core.CommandResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;

/** A process manager's meters in a Micrometer registry; shared by its tasks, never removed. */
final class MicrometerManagerMetrics implements ManagerMetrics {

    private final Counter firstSends;
    private final Counter resends;
    private final Map<CommandResult.Kind, Counter> results = new EnumMap<>(CommandResult.Kind.class);
    private final Counter deadLetters;

    MicrometerManagerMetrics(MeterRegistry registry, String manager, String deadLetterTopic) {
        this.firstSends = sends(registry, manager, "first");
        this.resends = sends(registry, manager, "resend");
        for (CommandResult.Kind kind : CommandResult.Kind.values()) {
            results.put(kind, Counter.builder(MeterNames.MANAGER_RESULTS).description("Results of a process manager's commands")
                    .tag(MeterNames.MANAGER, manager).tag(MeterNames.KIND, MeterNames.tagValue(kind))
                    .register(registry));
        }
        this.deadLetters = MicrometerMeters.deadLetters(registry, deadLetterTopic);
    }

    private static Counter sends(MeterRegistry registry, String manager, String send) {
        return Counter.builder(MeterNames.MANAGER_COMMANDS).description("Commands a process manager sent")
                .tag(MeterNames.MANAGER, manager).tag(MeterNames.SEND, send).register(registry);
    }

    @Override
    public void sent(int count, boolean resend) {
        (resend ? resends : firstSends).increment(count);
    }

    @Override
    public void result(CommandResult.Kind kind) {
        results.get(kind).increment();
    }

    @Override
    public void deadLettered() {
        deadLetters.increment();
    }
}
