package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.DeadlineChange;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventSourcedTopology;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * Runs each step through the real topology on a {@link TopologyTestDriver}, with the real
 * serdes and RocksDB stores. A driver lives for one step while the aggregate has no deadline
 * waiting, and for as long as it has some (see {@link Drivers}), so scenarios can run in parallel.
 *
 * <p>Time is the driver's wall clock. It starts a tick before the step's time and moves only when
 * time passes ({@link #advanceTo}), so no deadline fires during a command, and the deadline timer
 * (ticking every millisecond here) fires what is due once, at the new time.
 */
public final class TopologyRunner<C, E, S> implements Runner<C, E, S> {

    /** The deadline timer's tick here: one millisecond, so that one advance of the clock fires what is due. */
    private static final Duration TICK = Duration.ofMillis(1);

    private final AggregateType<C, E, S> type;
    private final Topology topology;
    private final String applicationId = "eventfold-testkit-" + UUID.randomUUID();
    private final TopologyStores stores;
    private final Drivers drivers;
    private TopologyRecords lastRecords = TopologyRecords.NONE;
    private String aggregateId;

    public TopologyRunner(AggregateType<C, E, S> type) {
        this.type = type;
        this.topology = EventSourcedTopology.of(type);
        this.stores = TopologyStores.of(type.stores());
        this.drivers = new Drivers(this, topology, this::properties);
    }

    @Override
    public String name() {
        return "topology";
    }

    @Override
    public void start(Snapshot<S> snapshot) {
        aggregateId = snapshot.aggregateId();
        drivers.release(false);
        boolean stored = snapshot.version() > 0 || !snapshot.state().equals(type.aggregate().initialState());
        stores.clear();
        if (stored) {
            stores.put(type.stores().snapshots(), snapshot.aggregateId(), type.serdes().snapshots().serializer().serialize("", snapshot));
        }
    }

    /** The output records of the last step, for the checks on what the topology wrote. */
    public TopologyRecords lastRecords() {
        return lastRecords;
    }

    @Override
    public RunnerOutcome<E, S> handle(Command<C> command, Instant at) {
        byte[] value = type.serdes().commands().serializer().serialize("", command);
        TopologyTestDriver driver = drivers.acquire(at.minus(TICK), stores::restoreInto);
        boolean keep = false;
        try {
            TestInputTopic<String, byte[]> input = driver.createInputTopic(type.topics().commands(),
                    new StringSerializer(), new ByteArraySerializer(), at, Duration.ZERO);
            // Asks for the state in the result, as the pure runner's result has it: the two are compared.
            RecordHeaders headers = new RecordHeaders();
            EventfoldHeaders.askForState(headers);
            input.pipeInput(new TestRecord<>(command.aggregateId(), value, headers, at));
            Outputs outputs = new Outputs(driver);
            TestRecord<String, byte[]> resultRecord = outputs.resultOf(command.commandId());
            if (resultRecord == null) {
                throw Failures.failure("the topology wrote no result for command " + command.commandId() + " and "
                        + outputs.deadLetters + " dead letter(s) [check TOPOLOGY_OUTPUTS]");
            }
            List<TestRecord<String, byte[]>> eventRecords = outputs.eventsOf(command.commandId());
            lastRecords = new TopologyRecords(written(eventRecords), written(outputs.snapshots), written(outputs.results),
                    outputs.deadLetters);
            CommandResult<E, S> result = type.serdes().results().deserializer().deserialize("", resultRecord.value());
            Snapshot<S> snapshot = currentSnapshot(driver, command.aggregateId());
            stores.saveFrom(driver);
            keep = stores.holdsAny(type.stores().deadlines());
            return new RunnerOutcome<>(name(), result, events(eventRecords), snapshot.state(), snapshot.version(),
                    EventfoldHeaders.isDuplicate(resultRecord.headers()), deadlineChanges(eventRecords));
        } finally {
            drivers.release(keep);
        }
    }

    @Override
    public RunnerOutcome<E, S> advanceTo(Instant now) {
        if (!drivers.live()) {
            // Without a deadline in the store, no driver lives and nothing can fire.
            lastRecords = TopologyRecords.NONE;
            Snapshot<S> snapshot = storedSnapshot();
            return RunnerOutcome.ofTime(name(), List.of(), snapshot.state(), snapshot.version());
        }
        TopologyTestDriver driver = drivers.acquire(now, stores::restoreInto);
        boolean keep = false;
        try {
            drivers.advanceTo(now);
            Outputs outputs = new Outputs(driver);
            List<TestRecord<String, byte[]>> eventRecords = new ArrayList<>();
            List<Fired<E, S>> fired = new ArrayList<>();
            for (TestRecord<String, byte[]> record : outputs.fired) {
                Command<C> command = type.serdes().commands().deserializer().deserialize("", record.value());
                TestRecord<String, byte[]> resultRecord = outputs.resultOf(command.commandId());
                if (resultRecord == null) {
                    throw Failures.failure("the topology wrote no result for command " + command.commandId()
                            + " fired by deadline " + header(record, EventfoldHeaders.DEADLINE) + ", and " + outputs.deadLetters
                            + " dead letter(s) [check TOPOLOGY_OUTPUTS]");
                }
                List<TestRecord<String, byte[]>> ofCommand = outputs.eventsOf(command.commandId());
                eventRecords.addAll(ofCommand);
                fired.add(new Fired<>(header(record, EventfoldHeaders.DEADLINE), command,
                        type.serdes().results().deserializer().deserialize("", resultRecord.value()), events(ofCommand),
                        deadlineChanges(ofCommand)));
            }
            lastRecords = new TopologyRecords(written(eventRecords), written(outputs.snapshots), written(outputs.results),
                    outputs.deadLetters, written(outputs.fired));
            Snapshot<S> snapshot = currentSnapshot(driver, aggregateId);
            stores.saveFrom(driver);
            keep = stores.holdsAny(type.stores().deadlines());
            return RunnerOutcome.ofTime(name(), fired, snapshot.state(), snapshot.version());
        } finally {
            drivers.release(keep);
        }
    }

    /**
     * The deadline changes of a command as the topology records them: the {@code eventfold.deadlines}
     * header of its last event names each with its due time; the command stays in the store.
     */
    private static List<DeadlineChange> deadlineChanges(List<TestRecord<String, byte[]>> eventsOfCommand) {
        if (eventsOfCommand.isEmpty()) {
            return List.of();
        }
        return EventfoldHeaders.deadlineChanges(eventsOfCommand.get(eventsOfCommand.size() - 1).headers()).stream()
                .<DeadlineChange>map(note -> note.cancelled() ? new DeadlineChange.Cancel(note.deadlineId())
                        : new DeadlineChange.Schedule(note.deadlineId(), note.dueAt(), KeptInStore.COMMAND))
                .toList();
    }

    private Snapshot<S> storedSnapshot() {
        byte[] bytes = stores.get(type.stores().snapshots(), aggregateId);
        return bytes == null ? Snapshot.initial(aggregateId, type.aggregate())
                : type.serdes().snapshots().deserializer().deserialize("", bytes);
    }

    /** Every output of a step, read once: a test output topic hands each record out once. */
    private final class Outputs {

        final List<TestRecord<String, byte[]>> fired;
        final List<TestRecord<String, byte[]>> events;
        final List<TestRecord<String, byte[]>> results;
        final List<TestRecord<String, byte[]>> snapshots;
        final int deadLetters;

        Outputs(TopologyTestDriver driver) {
            this.fired = output(driver, type.topics().commands()).readRecordsToList().stream()
                    .filter(record -> header(record, EventfoldHeaders.DEADLINE) != null).toList();
            this.events = output(driver, type.topics().events()).readRecordsToList();
            this.results = output(driver, type.topics().commandResults()).readRecordsToList();
            this.snapshots = output(driver, type.topics().snapshots()).readRecordsToList();
            this.deadLetters = output(driver, type.topics().deadLetters()).readRecordsToList().size();
        }

        TestRecord<String, byte[]> resultOf(String commandId) {
            return results.stream().filter(record -> commandId.equals(header(record, EventfoldHeaders.COMMAND_ID)))
                    .findFirst().orElse(null);
        }

        List<TestRecord<String, byte[]>> eventsOf(String commandId) {
            return events.stream().filter(record -> commandId.equals(header(record, EventfoldHeaders.COMMAND_ID))).toList();
        }
    }

    private List<Event<E>> events(List<TestRecord<String, byte[]>> records) {
        return records.stream().map(record -> type.serdes().events().deserializer().deserialize("", record.value())).toList();
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
        props.put(EventfoldConfig.DEADLINE_TICK_MS_CONFIG, Long.toString(TICK.toMillis()));
        return props;
    }

    private static List<TopologyRecords.Written> written(List<TestRecord<String, byte[]>> records) {
        return records.stream().map(TopologyRunner::written).toList();
    }

    private static TopologyRecords.Written written(TestRecord<String, byte[]> record) {
        return new TopologyRecords.Written(record.key(), header(record, EventfoldHeaders.COMMAND_ID),
                header(record, EventfoldHeaders.VERSION), EventfoldHeaders.correlationId(record.headers()).orElse(null),
                EventfoldHeaders.metadata(record.headers()), header(record, EventfoldHeaders.DEADLINE), record.timestamp());
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return EventfoldHeaders.read(record.headers(), name).orElse(null);
    }
}
