package io.eventfold.kafka.internal.metrics;

import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.internal.RebuildRegistry;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Where the Eventfold parts get their meters: the Micrometer ones when the application gave a
 * registry, the no-op ones otherwise. Micrometer's classes are touched only in the first case, so
 * an application without Micrometer on its class path runs unchanged.
 */
public final class Meters {

    /** The class whose presence says Micrometer is on the class path. */
    private static final String MICROMETER_CLASS = "io.micrometer.core.instrument.MeterRegistry";

    private Meters() {
    }

    /**
     * The registry an application configured, checked before any Micrometer class is touched: a
     * value where Micrometer is missing is a configuration error naming the setting, not a
     * {@code NoClassDefFoundError}.
     */
    private static Object checked(Object registry, String setting) {
        if (registry == null) {
            return null;
        }
        try {
            Class.forName(MICROMETER_CLASS, false, Meters.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            throw new IllegalArgumentException(setting + " holds a " + registry.getClass().getName()
                    + ", but Micrometer (" + MICROMETER_CLASS + ") is not on the class path");
        }
        return registry;
    }

    private static Object configured(Map<?, ?> configs) {
        return checked(configs.get(EventfoldConfig.METER_REGISTRY_CONFIG), EventfoldConfig.METER_REGISTRY_CONFIG);
    }

    /**
     * The command meters of a type.
     *
     * @param configs the application's configs (Kafka Streams hands over the registry object as it is)
     * @param type the type's name
     * @param deadLetterTopic the type's dead-letter topic
     * @param rebuilds the type's rebuild statuses in this application
     * @return the meters, or {@link CommandMetrics#NONE}
     */
    public static CommandMetrics commands(Map<String, ?> configs, String type, String deadLetterTopic, RebuildRegistry rebuilds) {
        Object registry = configured(configs);
        return registry == null ? CommandMetrics.NONE
                : new MicrometerCommandMetrics(MicrometerMeters.registry(registry), type, deadLetterTopic, rebuilds);
    }

    /**
     * A process manager's meters.
     *
     * @param configs the application's configs
     * @param manager the manager's name
     * @param deadLetterTopic its dead-letter topic
     * @return the meters, or {@link ManagerMetrics#NONE}
     */
    public static ManagerMetrics manager(Map<String, ?> configs, String manager, String deadLetterTopic) {
        Object registry = configured(configs);
        return registry == null ? ManagerMetrics.NONE
                : new MicrometerManagerMetrics(MicrometerMeters.registry(registry), manager, deadLetterTopic);
    }

    /**
     * The restore meters of a Kafka Streams instance, when the configs carry a registry.
     *
     * @param configs the application's configs
     * @return a listener to set as the instance's global restore listener, or empty
     */
    public static Optional<StateRestoreListener> restores(Map<?, ?> configs) {
        Object registry = configured(configs);
        return registry == null ? Optional.empty()
                : Optional.of(new MicrometerRestoreListener(MicrometerMeters.registry(registry)));
    }

    /**
     * A gateway's meters.
     *
     * @param registry the registry the user gave, or null
     * @param type the type's name
     * @param pending the gateway's pending count
     * @return the meters, or {@link GatewayMetrics#NONE}
     */
    public static GatewayMetrics gateway(Object registry, String type, IntSupplier pending) {
        return registry == null ? GatewayMetrics.NONE : new MicrometerGatewayMetrics(MicrometerMeters.registry(registry), type, pending);
    }

    /**
     * A projection runner's meters.
     *
     * @param registry the registry the user gave, or null
     * @param projection the projection's name
     * @param applied records applied since the runner started
     * @param skipped records passed over
     * @param lag records behind the end of the topic
     * @return the meters, or {@link ProjectionMetrics#NONE}
     */
    public static ProjectionMetrics projection(Object registry, String projection, LongSupplier applied, LongSupplier skipped,
                                               LongSupplier lag) {
        return registry == null ? ProjectionMetrics.NONE
                : new MicrometerProjectionMetrics(MicrometerMeters.registry(registry), projection, applied, skipped, lag);
    }
}
