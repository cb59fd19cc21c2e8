package io.eventfold.testkit.internal;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventSourcedTopology;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs each command through the real topology on a {@link TopologyTestDriver}, with the real
 * serdes and RocksDB stores. A driver lives for one command only: the stores' contents are
 * carried from one driver to the next, so nothing native outlives a command even when a test
 * never closes its fixture, and scenarios can run in parallel.
 */
public final class TopologyRunner<C, E, S> implements Runner<C, E, S> {

    private final AggregateType<C, E, S> type;
    private final Topology topology;
    private final String applicationId = "eventfold-testkit-" + UUID.randomUUID();
    /** The stores' contents between drivers: a driver lives for one command. */
    private final Map<String, byte[]> snapshotEntries = new LinkedHashMap<>();
    private final List<KeyValue<Windowed<Bytes>, byte[]>> commandIdEntries = new ArrayList<>();
    private TopologyRecords lastRecords = TopologyRecords.NONE;

    public TopologyRunner(AggregateType<C, E, S> type) {
        this.type = type;
        this.topology = EventSourcedTopology.of(type);
    }

    @Override
    public String name() {
        return "topology";
    }

    @Override
    public void start(Snapshot<S> snapshot) {
        snapshotEntries.clear();
        if (snapshot.version() > 0 || !snapshot.state().equals(type.aggregate().initialState())) {
            snapshotEntries.put(snapshot.aggregateId(), type.serdes().snapshots().serializer().serialize("", snapshot));
        }
    }

    /** The output records of the last command, for the checks on what the topology wrote. */
    public TopologyRecords lastRecords() {
        return lastRecords;
    }

    @Override
    public RunnerOutcome<E, S> handle(Command<C> command, Instant at) {
        byte[] value = type.serdes().commands().serializer().serialize("", command);
        Path stateDir = createStateDir();
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, properties(stateDir), at)) {
            restoreStores(driver);
            TestInputTopic<String, byte[]> input = driver.createInputTopic(type.topics().commands(),
                    new StringSerializer(), new ByteArraySerializer(), at, Duration.ZERO);
            input.pipeInput(new TestRecord<>(command.aggregateId(), value, at));
            RunnerOutcome<E, S> outcome = collect(driver, command);
            saveStores(driver);
            return outcome;
        } finally {
            deleteRecursively(stateDir);
        }
    }

    @Override
    public RunnerOutcome<E, S> advanceTo(Instant now) {
        throw new UnsupportedOperationException("the topology runner fires no deadlines yet");
    }

    private RunnerOutcome<E, S> collect(TopologyTestDriver driver, Command<C> command) {
        TestOutputTopic<String, byte[]> events = output(driver, type.topics().events());
        TestOutputTopic<String, byte[]> results = output(driver, type.topics().commandResults());
        TestOutputTopic<String, byte[]> deadLetters = output(driver, type.topics().deadLetters());
        List<TopologyRecords.Written> snapshotRecords = output(driver, type.topics().snapshots()).readRecordsToList().stream()
                .map(TopologyRunner::written).toList();

        List<Event<E>> newEvents = new ArrayList<>();
        List<TopologyRecords.Written> eventRecords = new ArrayList<>();
        for (TestRecord<String, byte[]> record : events.readRecordsToList()) {
            Event<E> event = type.serdes().events().deserializer().deserialize("", record.value());
            newEvents.add(event);
            eventRecords.add(written(record));
        }
        List<TestRecord<String, byte[]>> resultRecords = results.readRecordsToList();
        int deadLetterCount = deadLetters.readRecordsToList().size();
        lastRecords = new TopologyRecords(eventRecords, snapshotRecords,
                resultRecords.stream().map(TopologyRunner::written).toList(), deadLetterCount);
        if (resultRecords.isEmpty()) {
            throw Failures.failure("the topology wrote no result for command " + command.commandId() + " and "
                    + deadLetterCount + " dead letter(s) [check TOPOLOGY_OUTPUTS]");
        }
        TestRecord<String, byte[]> resultRecord = resultRecords.get(0);
        CommandResult<E, S> result = type.serdes().results().deserializer().deserialize("", resultRecord.value());
        Snapshot<S> snapshot = currentSnapshot(driver, command.aggregateId());
        boolean duplicate = EventfoldHeaders.isDuplicate(resultRecord.headers());
        return new RunnerOutcome<>(name(), result, newEvents, snapshot.state(), snapshot.version(), duplicate);
    }

    private Snapshot<S> currentSnapshot(TopologyTestDriver driver, String aggregateId) {
        KeyValueStore<String, byte[]> snapshots = driver.getKeyValueStore(type.stores().snapshots());
        byte[] bytes = snapshots.get(aggregateId);
        return bytes == null ? Snapshot.initial(aggregateId, type.aggregate())
                : type.serdes().snapshots().deserializer().deserialize("", bytes);
    }

    private TestOutputTopic<String, byte[]> output(TopologyTestDriver driver, String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private Properties properties(Path stateDir) {
        Properties props = EventfoldConfig.topologyTestDriver(applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }

    private void restoreStores(TopologyTestDriver driver) {
        KeyValueStore<String, byte[]> snapshots = driver.getKeyValueStore(type.stores().snapshots());
        snapshotEntries.forEach(snapshots::put);
        WindowStore<Bytes, byte[]> commandIds = driver.getWindowStore(type.stores().commandIds());
        commandIdEntries.forEach(entry -> commandIds.put(entry.key.key(), entry.value, entry.key.window().start()));
    }

    private void saveStores(TopologyTestDriver driver) {
        snapshotEntries.clear();
        KeyValueStore<String, byte[]> snapshots = driver.getKeyValueStore(type.stores().snapshots());
        try (KeyValueIterator<String, byte[]> all = snapshots.all()) {
            all.forEachRemaining(entry -> snapshotEntries.put(entry.key, entry.value));
        }
        commandIdEntries.clear();
        WindowStore<Bytes, byte[]> commandIds = driver.getWindowStore(type.stores().commandIds());
        try (KeyValueIterator<Windowed<Bytes>, byte[]> all = commandIds.all()) {
            all.forEachRemaining(entry -> commandIdEntries.add(KeyValue.pair(
                    new Windowed<>(Bytes.wrap(entry.key.key().get().clone()), entry.key.window()), entry.value)));
        }
    }

    private static TopologyRecords.Written written(TestRecord<String, byte[]> record) {
        return new TopologyRecords.Written(record.key(), header(record, EventfoldHeaders.COMMAND_ID),
                header(record, EventfoldHeaders.VERSION), EventfoldHeaders.correlationId(record.headers()).orElse(null),
                EventfoldHeaders.metadata(record.headers()));
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return EventfoldHeaders.read(record.headers(), name).orElse(null);
    }

    private Path createStateDir() {
        try {
            return Files.createTempDirectory("eventfold-testkit-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the topology runner", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temporary folder is not worth failing a test for.
        }
    }
}
