package io.eventfold.kafka;

import io.eventfold.core.Aggregate;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Decision;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Snapshot;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.client.AggregateStore;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.kafka.internal.CommandProcessor;
import io.eventfold.kafka.internal.ReadCommittedConsumers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.eventfold.kafka.Cluster.streamsProps;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application runs at state version 1, stops, and starts at state version 2 with another
 * {@code evolve}: every partition replays its events into the snapshot store before it handles a
 * command, publishes the rebuilt snapshots, and a restart afterwards rebuilds nothing.
 */
class SnapshotRebuildIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    static final int PARTITIONS = 3;
    static final int AGGREGATES = 30;

    @TempDir
    Path stateDir;

    public sealed interface CounterCommand {
        record Add(long amount) implements CounterCommand {
        }
    }

    public sealed interface CounterEvent {
        record Added(long amount) implements CounterEvent {
        }
    }

    /** The state of both versions; version 1 never counted the adds, version 2 does. */
    public record Counter(long sum, long adds) {
    }

    static Aggregate<CounterCommand, CounterEvent, Counter> counter(int stateVersion) {
        return Aggregate.of(new Counter(0, 0),
                (command, state) -> Decision.accept(new CounterEvent.Added(((CounterCommand.Add) command).amount())),
                (state, event) -> new Counter(state.sum() + ((CounterEvent.Added) event).amount(),
                        stateVersion >= 2 ? state.adds() + 1 : state.adds()));
    }

    static AggregateType<CounterCommand, CounterEvent, Counter> type(String name, int stateVersion) {
        return AggregateType.builder(name, counter(stateVersion))
                .commands(CounterCommand.class).events(CounterEvent.class).state(Counter.class, stateVersion)
                .commandIdRetention(Duration.ofMinutes(10)).build();
    }

    Properties props(String app) {
        Properties props = streamsProps(kafka, app, stateDir);
        // A few ticks per partition, so that commands can arrive while it replays.
        props.put(CommandProcessor.TICK_RECORDS_CONFIG, "25");
        props.put(CommandProcessor.TICK_CONFIG, "200");
        return props;
    }

    /**
     * @param wipeStateDir whether the state-version-2 build starts on an empty state directory:
     *     it restores the old snapshots and the marker from the changelog, then rebuilds
     */
    @ParameterizedTest(name = "state directory wiped: {0}")
    @ValueSource(booleans = {false, true})
    void aNewStateVersionRebuildsEverySnapshotFromTheEventsBeforeCommandsAreHandled(boolean wipeStateDir) throws Exception {
        String name = wipeStateDir ? "wiped" : "counter";
        String app = name + "-app";
        AggregateType<CounterCommand, CounterEvent, Counter> v1 = type(name, 1);
        AggregateType<CounterCommand, CounterEvent, Counter> v2 = type(name, 2);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicLayout.of(v1).create(admin, PARTITIONS, (short) 1);
        }
        List<String> ids = IntStream.range(0, AGGREGATES).mapToObj(i -> "c-" + i).toList();

        // 1. State version 1: 300 commands.
        try (KafkaStreams streams = EventfoldStreams.start(props(app), v1);
             CommandGateway<CounterCommand, CounterEvent, Counter> gateway = Cluster.gateway(kafka, v1, Duration.ofSeconds(60))) {
            List<CompletableFuture<CommandResult<CounterEvent, Counter>>> sent = new ArrayList<>();
            for (int round = 1; round <= 10; round++) {
                for (String id : ids) {
                    sent.add(gateway.send(id, new CounterCommand.Add(round), ExpectedVersion.any()));
                }
                for (CompletableFuture<CommandResult<CounterEvent, Counter>> future : sent) {
                    assertThat(future.join().kind()).isEqualTo(CommandResult.Kind.ACCEPTED);
                }
                sent.clear();
            }
            AggregateStore<CounterCommand, CounterEvent, Counter> store = AggregateStore.of(streams, v1);
            assertThat(store.awaitVersion("c-0", 10, Duration.ofSeconds(30)).join().state()).isEqualTo(new Counter(55, 0));
            store.close();
            Cluster.stop(streams);
        }
        if (wipeStateDir) {
            deleteRecursively(stateDir.resolve(app));
        }

        // 2. Raw commands wait in the topic for the state-version-2 build.
        List<String> rawIds = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(EventfoldConfig.commandProducer(kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (String id : ids) {
                Command<CounterCommand> command = new Command<>("raw-" + id, id, ExpectedVersion.any(), new CounterCommand.Add(1000), Map.of());
                RecordHeaders headers = new RecordHeaders();
                EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, command.commandId());
                EventfoldHeaders.askForState(headers);
                producer.send(new ProducerRecord<>(v2.topics().commands(), null, id, v2.serdes().commands().serializer()
                        .serialize("", command), headers)).get();
                rawIds.add(command.commandId());
            }
        }

        // 3. State version 2 with another evolve.
        SnapshotRebuilds rebuilds = SnapshotRebuilds.of(app, v2);
        List<RebuildStatus> seen = new CopyOnWriteArrayList<>();
        Runnable unsubscribe = rebuilds.subscribe(seen::add);
        Map<String, Long> gatewayAdds = new TreeMap<>();
        try (KafkaStreams streams = EventfoldStreams.start(props(app), v2);
             CommandGateway<CounterCommand, CounterEvent, Counter> gateway = Cluster.gateway(kafka, v2, Duration.ofSeconds(60));
             AggregateStore<CounterCommand, CounterEvent, Counter> store = AggregateStore.of(streams, v2)) {
            List<CompletableFuture<CommandResult<CounterEvent, Counter>>> during = new ArrayList<>();
            for (String id : ids.subList(0, 10)) {
                during.add(gateway.send(id, new CounterCommand.Add(7), ExpectedVersion.any()));
                gatewayAdds.put(id, 7L);
            }
            for (CompletableFuture<CommandResult<CounterEvent, Counter>> future : during) {
                assertThat(future.join().kind()).as("a gateway command sent during the rebuild").isEqualTo(CommandResult.Kind.ACCEPTED);
            }
            await(() -> rebuilds.statuses().size() == PARTITIONS && rebuilds.allCurrent(), "every partition CURRENT");

            for (int partition = 0; partition < PARTITIONS; partition++) {
                int p = partition;
                List<RebuildStatus.Phase> phases = seen.stream().filter(status -> status.partition() == p)
                        .map(RebuildStatus::phase).distinct().toList();
                assertThat(phases).as("partition " + p).containsSubsequence(
                        RebuildStatus.Phase.REPLAYING, RebuildStatus.Phase.PUBLISHING, RebuildStatus.Phase.CURRENT);
            }
            for (RebuildStatus status : rebuilds.statuses()) {
                assertThat(status.fromStateVersion()).isEqualTo(1);
                assertThat(status.toStateVersion()).isEqualTo(2);
                assertThat(status.offsetsRead()).isPositive().isGreaterThanOrEqualTo(status.offsetsTotal());
                assertThat(status.finishedAt()).isNotNull();
            }
            assertThat(rebuilds.statuses().stream().mapToLong(RebuildStatus::aggregates).sum()).isEqualTo(AGGREGATES);

            // Raw commands were in the topic before the build started: those processed while their partition
            // replayed were refused with the progress; any processed later saw the rebuilt state (checked below).
            Map<String, CommandResult<CounterEvent, Counter>> rawAnswers = firstResults(v2, Set.copyOf(rawIds));
            assertThat(rawAnswers).hasSize(AGGREGATES);
            List<CommandResult<CounterEvent, Counter>> refused = rawAnswers.values().stream()
                    .filter(answer -> answer instanceof CommandResult.Failed).toList();
            assertThat(refused).as("raw commands answered while their partition replayed").isNotEmpty();
            refused.forEach(answer -> assertThat(answer).isInstanceOfSatisfying(CommandResult.Failed.class, failed -> {
                assertThat(failed.errorType()).isEqualTo(SnapshotsRebuildingException.class.getName());
                assertThat(failed.message()).matches("partition [0-2] of " + name + " is rebuilding its snapshots for state version 2:"
                        + " \\d+% \\([\\d,]+ of [\\d,]+ events\\); send again");
            }));
            rawAnswers.values().stream().filter(answer -> !(answer instanceof CommandResult.Failed)).forEach(answer ->
                    assertThat(answer).isInstanceOfSatisfying(CommandResult.Accepted.class, accepted ->
                            assertThat(((Counter) accepted.state().orElseThrow()).adds()).as("handled against the rebuilt state")
                                    .isEqualTo(accepted.version())));

            // Every snapshot, in the store and last on the topic, is the replay of the events at state version 2.
            Map<String, Snapshot<Counter>> replayed = replay(v2);
            Map<String, Snapshot<Counter>> published = latestSnapshots(v2);
            assertThat(replayed).hasSize(AGGREGATES);
            for (String id : ids) {
                Snapshot<Counter> expected = replayed.get(id);
                assertThat(expected.state().adds()).as("state version 2 counts every add").isEqualTo(expected.version());
                assertThat(expected.state().sum()).isGreaterThanOrEqualTo(55 + gatewayAdds.getOrDefault(id, 0L));
                assertThat(store.get(id)).as("store " + id).contains(expected);
                assertThat(published.get(id)).as("snapshots topic " + id).isEqualTo(expected);
            }

            // The raw commands sent again with the same ids: handled now, or answered from memory if they were.
            for (String id : ids.subList(0, 3)) {
                CommandResult<CounterEvent, Counter> again = gateway.send(new Command<>("raw-" + id, id, ExpectedVersion.any(),
                        new CounterCommand.Add(1000), Map.of())).join();
                assertThat(again.kind()).isEqualTo(CommandResult.Kind.ACCEPTED);
                assertThat(again.version()).isGreaterThan(10);
            }
            Cluster.stop(streams);
        }
        unsubscribe.run();

        // 4. A restart at state version 2 rebuilds nothing and answers at once.
        List<RebuildStatus> afterRestart = new CopyOnWriteArrayList<>();
        Runnable again = rebuilds.subscribe(afterRestart::add);
        try (KafkaStreams streams = EventfoldStreams.start(props(app), v2);
             CommandGateway<CounterCommand, CounterEvent, Counter> gateway = CommandGateway.builder(v2, kafka.bootstrapServers())
                     .timeout(Duration.ofSeconds(60)).retryWhileRebuilding(false).build()) {
            for (String id : ids.subList(0, 6)) {
                assertThat(gateway.send(id, new CounterCommand.Add(1), ExpectedVersion.any()).join().kind())
                        .isEqualTo(CommandResult.Kind.ACCEPTED);
            }
            await(() -> rebuilds.statuses().size() == PARTITIONS, "every partition reported");
            assertThat(afterRestart).extracting(RebuildStatus::phase).containsOnly(RebuildStatus.Phase.CURRENT);
            Cluster.stop(streams);
        } finally {
            again.run();
        }
    }

    /** The first result of each of these command ids on the results topic. */
    private static Map<String, CommandResult<CounterEvent, Counter>> firstResults(AggregateType<CounterCommand, CounterEvent, Counter> type,
                                                                             Set<String> commandIds) {
        Map<String, CommandResult<CounterEvent, Counter>> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : readAll(type.topics().commandResults())) {
            var header = record.headers().lastHeader(EventfoldHeaders.COMMAND_ID);
            String commandId = header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
            // Accepted results of state version 1 are not readable at 2: only these commands' results are decoded.
            if (commandIds.contains(commandId) && !first.containsKey(commandId)) {
                first.put(commandId, type.serdes().results().deserializer().deserialize("", record.value()));
            }
        }
        return first;
    }

    /** Every aggregate folded from its events as the topic holds them, with the state-version-2 evolve. */
    private static Map<String, Snapshot<Counter>> replay(AggregateType<CounterCommand, CounterEvent, Counter> type) {
        Map<String, Snapshot<Counter>> folded = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : readAll(type.topics().events())) {
            Event<CounterEvent> event = type.serdes().events().deserializer().deserialize("", record.value());
            Snapshot<Counter> before = folded.getOrDefault(event.aggregateId(), Snapshot.initial(event.aggregateId(), type.aggregate()));
            assertThat(event.version()).as("events of " + event.aggregateId() + " in order").isEqualTo(before.version() + 1);
            folded.put(event.aggregateId(), new Snapshot<>(event.aggregateId(), event.version(),
                    type.aggregate().evolve(before.state(), event.payload())));
        }
        return folded;
    }

    private static Map<String, Snapshot<Counter>> latestSnapshots(AggregateType<CounterCommand, CounterEvent, Counter> type) {
        Map<String, byte[]> latest = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : readAll(type.topics().snapshots())) {
            latest.put(record.key(), record.value());
        }
        // Only the latest of each aggregate is read: the earlier ones are of state version 1.
        Map<String, Snapshot<Counter>> decoded = new TreeMap<>();
        latest.forEach((id, bytes) -> decoded.put(id, type.serdes().snapshots().deserializer().deserialize("", bytes)));
        return decoded;
    }

    /** Every committed record of a topic, partition by partition. */
    private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                ReadCommittedConsumers.properties(kafka.bootstrapServers(), null, new Properties()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                assertThat(System.nanoTime()).as("read " + topic + " within 60 s").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(path);
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 60 s").isLessThan(deadline);
            Cluster.sleep(50);
        }
    }
}
