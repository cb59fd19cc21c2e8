package io.eventfold.kafka;

import io.eventfold.kafka.internal.CommandProcessor;
import io.eventfold.kafka.internal.Routed;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;


import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the Kafka Streams topology of one or more aggregate types.
 *
 * <p>Per type: a source on {@code <type>-commands}, one command processor with two persistent
 * (RocksDB) stores (snapshots, and the answers of handled command ids in a window store), a step that
 * tells the {@code AggregateStore}s of the JVM which aggregates got a new snapshot, and a sink that
 * writes events to {@code <type>-events}, snapshots to {@code <type>-snapshots}, results to
 * {@code <type>-command-results} (and a copy to the partition of {@code <type>-replies} a command
 * names, see {@link EventfoldHeaders#REPLY_PARTITION}) and unanswerable records to
 * {@code <type>-commands-dlq}.
 *
 * <pre>{@code
 * Topology topology = EventSourcedTopology.of(invoices, customers);
 * KafkaStreams streams = new KafkaStreams(topology, EventfoldConfig.streams("billing", "localhost:9092"));
 * }</pre>
 *
 * <p>Use {@link EventfoldStreams#start} to also verify the topic layout before starting.
 */
public final class EventSourcedTopology {

    /** A remembered command id is a point in time; the window store wants a size all the same. */
    private static final Duration COMMAND_ID_WINDOW = Duration.ofMillis(1);

    private EventSourcedTopology() {
    }

    /**
     * Builds a topology that handles the commands of the given aggregate types.
     *
     * @param types one or more aggregate types with distinct names and topics
     * @return a new topology
     * @throws IllegalArgumentException if no type is given, or two types share a name or a topic
     */
    public static Topology of(AggregateType<?, ?, ?>... types) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, types);
        return builder.build();
    }

    /**
     * Adds the command handling of the given aggregate types to a builder of yours, for an
     * application that also has topology of its own (projections, joins…).
     *
     * @param builder your streams builder
     * @param types one or more aggregate types with distinct names and topics
     * @throws IllegalArgumentException if no type is given, or two types share a name or a topic
     */
    public static void addTo(StreamsBuilder builder, AggregateType<?, ?, ?>... types) {
        Objects.requireNonNull(builder, "builder must not be null");
        AggregateTypes.checkDistinct(types);
        for (AggregateType<?, ?, ?> type : types) {
            addType(builder, type);
        }
    }

    /**
     * The command-id changelog keeps what a restore needs and no more: an id is remembered for at
     * most one and a half retention periods, so two periods leave room for clock drift between
     * instances (instead of Kafka Streams' default extra day), in segments of half the retention
     * that the broker deletes whole once they are older than that.
     */
    static Map<String, String> commandIdChangelog(Duration retention) {
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.multipliedBy(2).toMillis()),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Math.max(1, retention.toMillis() / 2)));
    }

    private static <C, E, S> void addType(StreamsBuilder builder, AggregateType<C, E, S> type) {
        String snapshots = type.stores().snapshots();
        String commandIds = type.stores().commandIds();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(snapshots),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        // Command ids are written once and never overwritten, so a cache could not spare a single
        // write; it would only copy each entry once more. The processor copes with an id that
        // reaches the changelog before its cached snapshot (see CommandProcessor#stateChangeLost).
        // A window store forgets by dropping whole time segments: see CommandIds.
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(commandIds,
                type.commandIdRetention(), COMMAND_ID_WINDOW, false), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingEnabled(commandIdChangelog(type.commandIdRetention())));
        builder.stream(type.topics().commands(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName(type.name() + "-commands-source"))
                .process(() -> new CommandProcessor<>(type), Named.as(type.name() + "-command-processor"),
                        snapshots, commandIds)
                .to(Routed.TOPIC, Produced.with(Serdes.String(), Routed.SERDE).withName(type.name() + "-outputs")
                        .withStreamPartitioner(Routed.PARTITIONER));
    }


}
