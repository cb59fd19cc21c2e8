package io.eventfold.kafka.json;

import io.eventfold.kafka.EnvelopeFormatException;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.internal.EnvelopeReader;
import io.eventfold.kafka.internal.EnvelopeSchema;
import io.eventfold.kafka.internal.EnvelopeWriter;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.util.List;
import java.util.function.Function;

/**
 * Kafka serdes for the four JSON envelopes of one aggregate type, for clients and tools that
 * read or write its topics directly. Keys are the aggregate id as a UTF-8 string
 * ({@code Serdes.String()}).
 *
 * <pre>{@code
 * EnvelopeSerdes<InvoiceCommand, InvoiceEvent, Invoice> serdes = invoices.serdes();
 * KafkaConsumer<String, Event<InvoiceEvent>> consumer =
 *     new KafkaConsumer<>(props, Serdes.String().deserializer(), serdes.events().deserializer());
 * }</pre>
 *
 * <p>Deserializers throw {@link EnvelopeFormatException} for bytes that are not a valid envelope,
 * and return {@code null} for a {@code null} value (a tombstone).
 *
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public final class EnvelopeSerdes<C, E, S> {

    private final Serde<Command<C>> commands;
    private final Serde<Event<E>> events;
    private final Deserializer<List<Event<E>>> storedEvents;
    private final Serde<Snapshot<S>> snapshots;
    private final Serde<CommandResult<E, S>> results;

    private EnvelopeSerdes(EnvelopeReader<C, E, S> reader, EnvelopeWriter<C, E, S> writer) {
        this.commands = serde(writer::command, reader::readCommand);
        this.events = serde(writer::event, reader::readEvent);
        this.storedEvents = (topic, bytes) -> bytes == null ? null : reader.readStoredEvents(bytes);
        this.snapshots = serde(writer::snapshot, reader::readSnapshot);
        this.results = serde(writer::result, reader::readResult);
    }

    /**
     * The serdes of the envelopes whose payloads these codecs read and write.
     *
     * @param commands the codec of command payloads
     * @param events the codec of event payloads
     * @param state the codec of the state
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return the serdes
     */
    public static <C, E, S> EnvelopeSerdes<C, E, S> of(JsonCodec<C> commands, JsonCodec<E> events, JsonCodec<S> state) {
        return of(new EnvelopeSchema<>(commands, events, state, EnvelopeSchema.FIRST_VERSION));
    }

    /**
     * The serdes of an aggregate type's envelopes: snapshots and results are read and written at
     * its state version. {@link AggregateType#serdes()} holds the ones built when the type was.
     *
     * @param type the aggregate type
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return the serdes
     */
    public static <C, E, S> EnvelopeSerdes<C, E, S> of(AggregateType<C, E, S> type) {
        return of(EnvelopeSchema.of(type));
    }

    private static <C, E, S> EnvelopeSerdes<C, E, S> of(EnvelopeSchema<C, E, S> schema) {
        return new EnvelopeSerdes<>(new EnvelopeReader<>(schema), new EnvelopeWriter<>(schema));
    }

    /**
     * The command envelope: {@code {"commandId","aggregateId","expectedVersion","type","typeVersion","payload","metadata"}},
     * {@code typeVersion} only when the type's current version is above 1.
     *
     * @return the serde of command records
     */
    public Serde<Command<C>> commands() {
        return commands;
    }

    /**
     * The event envelope: {@code {"aggregateId","version","type","typeVersion","commandId","timestamp","payload"}},
     * {@code typeVersion} only when the type's current version is above 1. Its deserializer reads a
     * record that upcasts to exactly one event; see {@link #storedEvents()} for those that do not.
     *
     * @return the serde of event records
     */
    public Serde<Event<E>> events() {
        return events;
    }

    /**
     * Reads an event record as the events it is today, after the type's {@link Upcasters}: usually
     * one, none when an upcaster dropped it, several when one split it, each with the stored record's
     * aggregate id, version, command id and timestamp. Use it wherever records may have been written
     * before an event was split or dropped; {@link #events()} refuses those.
     *
     * <pre>{@code
     * Deserializer<List<Event<InvoiceEvent>>> stored = invoices.serdes().storedEvents();
     * for (Event<InvoiceEvent> event : stored.deserialize(topic, record.value())) {
     *     view.apply(event);
     * }
     * }</pre>
     *
     * @return the deserializer of stored event records; it returns {@code null} for a {@code null} value
     */
    public Deserializer<List<Event<E>>> storedEvents() {
        return storedEvents;
    }

    /**
     * The snapshot envelope: {@code {"aggregateId","version","type","state"}}.
     *
     * @return the serde of snapshot records
     */
    public Serde<Snapshot<S>> snapshots() {
        return snapshots;
    }

    /**
     * The result envelope: {@code {"kind","commandId","aggregateId","version",…}} with the fields of its kind.
     *
     * @return the serde of command-result records
     */
    public Serde<CommandResult<E, S>> results() {
        return results;
    }

    private static <T> Serde<T> serde(Function<T, byte[]> write, Function<byte[], T> read) {
        Serializer<T> serializer = (topic, value) -> value == null ? null : write.apply(value);
        Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : read.apply(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
