package io.eventfold.kafka.internal;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.json.JsonCodec;
import io.eventfold.kafka.json.Upcasters;

import java.util.Objects;

/**
 * What the envelope reader and writer of one aggregate type need to know about its payloads: the
 * three codecs, the version of the state schema that snapshots and results are written with, and the
 * upcasters that turn stored commands and events into today's.
 * Built once per type, so every reader of its records applies the same rules.
 *
 * @param commands the codec of command payloads
 * @param events the codec of event payloads
 * @param states the codec of the state
 * @param stateVersion the current state version, at least 1
 * @param commandUpcasters the chain of stored command payloads
 * @param eventUpcasters the chain of stored event payloads
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public record EnvelopeSchema<C, E, S>(JsonCodec<C> commands, JsonCodec<E> events, JsonCodec<S> states, int stateVersion,
                                     Upcasters commandUpcasters, Upcasters eventUpcasters) {

    /** The version a record without a version field was written with. */
    public static final int FIRST_VERSION = 1;

    public EnvelopeSchema {
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(commandUpcasters, "commandUpcasters");
        Objects.requireNonNull(eventUpcasters, "eventUpcasters");
        if (stateVersion < FIRST_VERSION) {
            throw new IllegalArgumentException("state version must be at least 1 but was " + stateVersion);
        }
    }

    /** A schema of codecs only: no upcasters, every payload read as stored. */
    public EnvelopeSchema(JsonCodec<C> commands, JsonCodec<E> events, JsonCodec<S> states, int stateVersion) {
        this(commands, events, states, stateVersion, Upcasters.none(), Upcasters.none());
    }

    /** The schema of an aggregate type. */
    public static <C, E, S> EnvelopeSchema<C, E, S> of(AggregateType<C, E, S> type) {
        return new EnvelopeSchema<>(type.commandCodec(), type.eventCodec(), type.stateCodec(), type.stateVersion(),
                type.commandUpcasters(), type.eventUpcasters());
    }
}
