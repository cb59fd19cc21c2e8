package io.eventfold.kafka.projection;

import io.eventfold.kafka.internal.Tracing;

import java.time.Duration;
import java.util.Properties;

/**
 * What a {@link ProjectionRunner} was built with.
 *
 * @param name the projection's name: checkpoints, versions and the consumer group {@code <name>.g<generation>}
 * @param topic the topic read
 * @param mode events (contiguous versions) or snapshots (newer versions)
 * @param decoder decodes polled records
 * @param projection the read model
 * @param store where progress lives
 * @param consumerProperties bootstrap servers and the user's consumer settings
 * @param firstBackoff the pause after a first failure
 * @param maxBackoff the longest pause
 * @param retiredRetention how long a retired generation's tables are kept before they are dropped
 * @param tracing the spans of a batch's apply
 */
record RunnerSettings<T, S>(String name, String topic, VersionSequencer.Mode mode, BatchDecoder<T> decoder,
                            Projection<S, T> projection, CheckpointStore<S> store, Properties consumerProperties,
                            Duration firstBackoff, Duration maxBackoff, Duration retiredRetention, Tracing tracing) {

    /** Settings that trace as the default does: {@code GlobalOpenTelemetry} if the API is there, else not at all. */
    RunnerSettings(String name, String topic, VersionSequencer.Mode mode, BatchDecoder<T> decoder,
                   Projection<S, T> projection, CheckpointStore<S> store, Properties consumerProperties,
                   Duration firstBackoff, Duration maxBackoff, Duration retiredRetention) {
        this(name, topic, mode, decoder, projection, store, consumerProperties, firstBackoff, maxBackoff, retiredRetention,
                Tracing.of(null, ProjectionTelemetry.OPEN_TELEMETRY_SETTING));
    }

    /** Doubles from the first pause at each failed attempt, up to the longest. */
    Duration backoff(int attempt) {
        Duration pause = firstBackoff;
        for (int i = 1; i < attempt && pause.compareTo(maxBackoff) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(maxBackoff) > 0 ? maxBackoff : pause;
    }

    RunnerSettings<T, S> withDecoder(BatchDecoder<T> newDecoder) {
        return new RunnerSettings<>(name, topic, mode, newDecoder, projection, store, consumerProperties, firstBackoff, maxBackoff, retiredRetention, tracing);
    }

    RunnerSettings<T, S> withConsumerProperties(Properties properties) {
        return new RunnerSettings<>(name, topic, mode, decoder, projection, store, properties, firstBackoff, maxBackoff, retiredRetention, tracing);
    }

    RunnerSettings<T, S> withBackoff(Duration first, Duration max) {
        return new RunnerSettings<>(name, topic, mode, decoder, projection, store, consumerProperties, first, max, retiredRetention, tracing);
    }

    RunnerSettings<T, S> withTracing(Tracing newTracing) {
        return new RunnerSettings<>(name, topic, mode, decoder, projection, store, consumerProperties, firstBackoff, maxBackoff,
                retiredRetention, newTracing);
    }

    RunnerSettings<T, S> withRetiredRetention(Duration retention) {
        return new RunnerSettings<>(name, topic, mode, decoder, projection, store, consumerProperties, firstBackoff, maxBackoff, retention, tracing);
    }
}
