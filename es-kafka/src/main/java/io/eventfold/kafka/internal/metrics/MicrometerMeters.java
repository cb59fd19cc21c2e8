package io.eventfold.kafka.internal.metrics;

import io.eventfold.kafka.EventfoldConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What the Micrometer meters share: the registry check, the percentiles, the dead-letter counter. */
final class MicrometerMeters {

    /** The percentiles every Eventfold timer publishes. */
    static final double[] PERCENTILES = {0.5, 0.95, 0.99};

    private MicrometerMeters() {
    }

    /** The registry an application configured, or a clear error naming the setting. */
    static MeterRegistry registry(Object configured) {
        if (configured instanceof MeterRegistry registry) {
            return registry;
        }
        throw new IllegalArgumentException(EventfoldConfig.METER_REGISTRY_CONFIG + " must be an "
                + MeterRegistry.class.getName() + " but was a " + configured.getClass().getName());
    }

    static Counter deadLetters(MeterRegistry registry, String topic) {
        return Counter.builder(MeterNames.DEAD_LETTERS).description("Records sent to a dead-letter topic")
                .tag(MeterNames.TOPIC, topic).register(registry);
    }
}
