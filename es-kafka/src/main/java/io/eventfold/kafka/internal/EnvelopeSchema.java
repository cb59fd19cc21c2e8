package io.eventfold.kafka.internal;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.json.JsonCodec;

import java.util.Objects;

/**
 * What the envelope reader and writer of one aggregate type need to know about its payloads: the
 * three codecs and the version of the state schema that snapshots and results are written with.
 * Built once per type, so every reader of its records applies the same rules.
 *
 * @param commands the codec of command payloads
 * @param events the codec of event payloads
 * @param states the codec of the state
 * @param stateVersion the current state version, at least 1
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public record EnvelopeSchema<C, E, S>(JsonCodec<C> commands, JsonCodec<E> events, JsonCodec<S> states, int stateVersion) {

    /** The version a record without a version field was written with. */
    public static final int FIRST_VERSION = 1;

    public EnvelopeSchema {
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(states, "states");
        if (stateVersion < FIRST_VERSION) {
            throw new IllegalArgumentException("state version must be at least 1 but was " + stateVersion);
        }
    }

    /** The schema of an aggregate type. */
    public static <C, E, S> EnvelopeSchema<C, E, S> of(AggregateType<C, E, S> type) {
        return new EnvelopeSchema<>(type.commandCodec(), type.eventCodec(), type.stateCodec(), type.stateVersion());
    }
}
