package io.eventfold.kafka;

import io.eventfold.kafka.internal.CommandProcessor;
import io.eventfold.kafka.internal.ProcessManagerProcessor;
import io.eventfold.kafka.internal.Routed;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;


import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
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
 * Topology topology = EventSourcedTopology.of(invoices, accounts, invoiceAccounts);
 * KafkaStreams streams = new KafkaStreams(topology, EventfoldConfig.streams("billing", "localhost:9092"));
 * }</pre>
 *
 * <p>Per {@link ProcessManagerType}: a source on its own replies topic merged with the source
 * type's events topic, one processor with two stores (its state per source aggregate, and the
 * commands sent and not answered yet), and a sink that writes commands to the target type's
 * commands topic and unusable inputs to its dead-letter topic.
 *
 * <p>Use {@link EventfoldStreams#start} to also verify the topic layout before starting.
 */
public final class EventSourcedTopology {

    /** A remembered command id is a point in time; the window store wants a size all the same. */
    private static final Duration COMMAND_ID_WINDOW = Duration.ofMillis(1);

    private EventSourcedTopology() {
    }

    /**
     * Builds a topology that handles the commands of the given aggregate types and runs the given
     * process managers.
     *
     * @param parts one or more aggregate types with distinct names and topics, and any process
     *     managers between them
     * @return a new topology
     * @throws IllegalArgumentException if no aggregate type is given, two parts share a name or a
     *     topic, or a process manager's source or target type is not among the parts
     */
    public static Topology of(TopologyPart... parts) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, parts);
        return builder.build();
    }

    /**
     * Adds the command handling of the given aggregate types, and the given process managers, to a
     * builder of yours, for an application that also has topology of its own (projections,
     * joins…). Your topology must not read the events topic of a process manager's source type: the
     * manager's source does.
     *
     * @param builder your streams builder
     * @param parts one or more aggregate types with distinct names and topics, and any process
     *     managers between them
     * @throws IllegalArgumentException if no aggregate type is given, two parts share a name or a
     *     topic, or a process manager's source or target type is not among the parts
     */
    public static void addTo(StreamsBuilder builder, TopologyPart... parts) {
        Objects.requireNonNull(builder, "builder must not be null");
        TopologyParts checked = TopologyParts.of(parts);
        for (AggregateType<?, ?, ?> type : checked.types()) {
            addType(builder, type, checked.replyTopicsOf(type));
        }
        Map<AggregateType<?, ?, ?>, KStream<String, byte[]>> eventSources = new IdentityHashMap<>();
        for (ProcessManagerType<?, ?, ?> manager : checked.managers()) {
            // One source per events topic, shared by the managers reading it: Kafka Streams refuses a topic read twice.
            KStream<String, byte[]> events = eventSources.computeIfAbsent(manager.source(), source ->
                    builder.stream(source.topics().events(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                            .withName(source.name() + "-events-source")));
            addManager(builder, manager, events);
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

    private static <C, E, S> void addType(StreamsBuilder builder, AggregateType<C, E, S> type, Set<String> replyTopics) {
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
        // Deadlines are written once and deleted once; a cache would only delay them.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(type.stores().deadlines()),
                Serdes.Bytes(), Serdes.ByteArray()));
        builder.stream(type.topics().commands(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName(type.name() + "-commands-source"))
                .process(() -> new CommandProcessor<>(type, replyTopics), Named.as(type.name() + "-command-processor"),
                        snapshots, commandIds, type.stores().deadlines())
                .to(Routed.TOPIC, Produced.with(Serdes.String(), Routed.SERDE).withName(type.name() + "-outputs")
                        .withStreamPartitioner(Routed.PARTITIONER));
    }

    private static <E, S, C> void addManager(StreamsBuilder builder, ProcessManagerType<E, S, C> manager,
                                             KStream<String, byte[]> events) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(manager.stateStore()),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        // Each sent command is written once and deleted once, at its result: a cache would spare nothing.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(manager.pendingStore()),
                Serdes.String(), Serdes.ByteArray()));
        KStream<String, byte[]> replies = builder.stream(manager.topics().replies(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(manager.name() + "-replies-source"));
        events.merge(replies, Named.as(manager.name() + "-inputs"))
                .process(() -> new ProcessManagerProcessor<>(manager), Named.as(manager.name() + "-process-manager"),
                        manager.stateStore(), manager.pendingStore())
                .to(Routed.TOPIC, Produced.with(Serdes.String(), Routed.SERDE).withName(manager.name() + "-outputs")
                        .withStreamPartitioner(Routed.PARTITIONER));
    }
}
