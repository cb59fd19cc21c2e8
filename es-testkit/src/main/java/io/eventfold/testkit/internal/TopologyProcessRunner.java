package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Decision;
import io.eventfold.core.Event;
import io.eventfold.core.ProcessState;
import io.eventfold.core.Snapshot;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventSourcedTopology;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.ProcessManagerType;
import io.eventfold.kafka.SnapshotsRebuildingException;
import io.eventfold.kafka.TopologyPart;
import io.eventfold.kafka.json.JsonCodec;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs a process manager through the real topology on a {@link TopologyTestDriver}: its events
 * are records piped into the source type's events topic, as the source's command processor
 * writes them, and the commands it sends are read from the target type's commands topic.
 *
 * <p>The target type is a {@link StandInTarget} of the same name, topics and codecs, so that the
 * scenario decides each result: until then it refuses the command as a rebuilding partition
 * would, and the manager sends it again a second later. While commands wait, the driver lives on
 * between inputs (see {@link Drivers}); a result is given by letting its wall clock run a second,
 * so that the manager sends the waiting commands again and the stand-in answers the one the
 * scenario names.
 */
public final class TopologyProcessRunner<E, S, C> implements ProcessRunner<E, S, C> {

    private static final Duration TICK = Duration.ofMillis(1);
    /** How long the manager waits before sending a refused command again (docs/workflows.md: "a second later"). */
    private static final Duration RESEND_AFTER = Duration.ofSeconds(1);

    private final ProcessManagerType<E, S, C> manager;
    private final AggregateType<?, E, ?> source;
    private final AggregateType<C, Object, String> target;
    private final StandInTarget<C> standIn = new StandInTarget<>();
    private final TopologyStores stores;
    private final Drivers drivers;
    private final String applicationId = "eventfold-testkit-" + UUID.randomUUID();
    private final Set<String> sent = new HashSet<>();
    private ProcessRecords lastRecords = ProcessRecords.NONE;

    @SuppressWarnings("unchecked")
    public TopologyProcessRunner(ProcessManagerType<E, S, C> type) {
        this.target = standInFor(type.target(), standIn);
        // A manager whose source is its target reads the stand-in's events topic: the same name, topics and codecs.
        this.source = type.source() == type.target() ? (AggregateType<?, E, ?>) (AggregateType<?, ?, ?>) target : type.source();
        this.manager = ProcessManagerType.builder(type.name(), type.engine().manager())
                .from(source).to(target)
                .state(type.stateCodec().type())
                .topics(type.topics())
                .objectMapper(type.stateCodec().mapper())
                .build();
        TopologyPart[] parts = source == target ? new TopologyPart[] {target, manager} : new TopologyPart[] {source, target, manager};
        Topology topology = EventSourcedTopology.of(parts);
        this.stores = new TopologyStores(List.of(manager.stateStore(), manager.pendingStore(), target.stores().snapshots(),
                target.stores().deadlines()), List.of(target.stores().commandIds()));
        this.drivers = new Drivers(this, topology, this::properties);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <C> AggregateType<C, Object, String> standInFor(AggregateType<C, ?, ?> real, StandInTarget<C> standIn) {
        AggregateType.Builder builder = AggregateType.builder(real.name(), standIn);
        return builder.commands(real.commandCodec().type(), real.commandUpcasters())
                .events(real.eventCodec().type(), real.eventUpcasters())
                .state(String.class)
                .topics(real.topics())
                .metadata(real.engine().metadataPolicy())
                .commandIdRetention(real.commandIdRetention())
                .objectMapper(real.commandCodec().mapper())
                .build();
    }

    @Override
    public String name() {
        return "topology";
    }

    /** The records of the last input, for the checks on what the topology wrote. */
    public ProcessRecords lastRecords() {
        return lastRecords;
    }

    @Override
    public ProcessOutcome<S, C> onEvent(Event<E> event, Instant at, List<Awaiting<C>> awaiting) {
        TopologyTestDriver driver = drivers.acquire(at.minus(TICK), stores::restoreInto);
        boolean keep = false;
        try {
            ProcessState<S> before = position(driver, event.aggregateId());
            meetExpectedVersions(driver, awaiting);
            driver.createInputTopic(source.topics().events(), new StringSerializer(), new ByteArraySerializer())
                    .pipeInput(new TestRecord<>(event.aggregateId(), eventRecord(event), headers(event), at));
            Collected collected = collect(driver, event.aggregateId(), null);
            keep = save(driver);
            return outcome(collected, event.version() <= before.lastVersion(), null);
        } finally {
            drivers.release(keep);
        }
    }

    @Override
    public ProcessOutcome<S, C> onResult(Awaiting<C> answered, Supplier<Decision<Object>> decision, Instant at,
                                         List<Awaiting<C>> awaiting) {
        if (!drivers.live()) {
            throw Failures.failure("the topology runner holds no command awaiting a result, but the pure runner holds "
                    + answered.command().commandId() + " [check RUNNERS_AGREE]");
        }
        TopologyTestDriver driver = drivers.acquire(at, stores::restoreInto);
        boolean keep = false;
        try {
            Command<C> command = answered.command();
            standIn.answer(command.aggregateId(), command.payload(), decision);
            List<Awaiting<C>> meeting = new ArrayList<>(awaiting);
            meeting.add(answered);
            meetExpectedVersions(driver, meeting);
            drivers.advanceTo(drivers.wallClock().plus(RESEND_AFTER));
            Collected collected = collect(driver, answered.sourceAggregateId(), command.commandId());
            if (collected.result == null) {
                throw Failures.failure("the topology runner gave command " + command.commandId() + " its result, but the manager "
                        + "did not send it again within " + RESEND_AFTER.toSeconds() + " s of the driver's clock [check TOPOLOGY_OUTPUTS]");
            }
            keep = save(driver);
            return outcome(collected, false, collected.result);
        } finally {
            drivers.release(keep);
        }
    }

    /** What the topology did with one input, read from its output topics and the manager's state store. */
    private record Collected<S, C>(List<Command<C>> sent, List<ProcessRecords.Sent> records, ProcessState<S> state,
                                   String errorType, String message, int deadLetters, CommandResult<?, ?> result) {
    }

    private Collected<S, C> collect(TopologyTestDriver driver, String sourceAggregateId, String answeredCommandId) {
        List<Command<C>> commands = new ArrayList<>();
        List<ProcessRecords.Sent> records = new ArrayList<>();
        for (TestRecord<String, byte[]> record : output(driver, target.topics().commands()).readRecordsToList()) {
            String commandId = header(record, EventfoldHeaders.COMMAND_ID);
            if (manager.name().equals(header(record, EventfoldHeaders.PROCESS_MANAGER)) && sent.add(commandId)) {
                commands.add(target.serdes().commands().deserializer().deserialize("", record.value()));
                records.add(new ProcessRecords.Sent(record.key(), commandId, header(record, EventfoldHeaders.PROCESS_MANAGER),
                        header(record, EventfoldHeaders.REPLY_TOPIC)));
            }
        }
        List<TestRecord<String, byte[]>> letters = output(driver, manager.topics().deadLetters()).readRecordsToList();
        String errorType = letters.isEmpty() ? null : header(letters.get(0), EventfoldHeaders.ERROR_TYPE);
        String message = letters.isEmpty() ? null : header(letters.get(0), EventfoldHeaders.ERROR);
        CommandResult<?, ?> result = null;
        for (TestRecord<String, byte[]> reply : output(driver, manager.topics().replies()).readRecordsToList()) {
            if (header(reply, EventfoldHeaders.COMMAND_ID).equals(answeredCommandId)) {
                CommandResult<?, ?> read = target.serdes().results().deserializer().deserialize("", reply.value());
                if (!(read instanceof CommandResult.Failed<?, ?> failed && SnapshotsRebuildingException.isRebuilding(failed.errorType()))) {
                    result = read;
                }
            }
        }
        lastRecords = new ProcessRecords(records, letters.size());
        return new Collected<>(commands, records, position(driver, sourceAggregateId), errorType, message, letters.size(), result);
    }

    private ProcessOutcome<S, C> outcome(Collected<S, C> collected, boolean replayed, CommandResult<?, ?> result) {
        return new ProcessOutcome<>(name(), collected.sent(), collected.state(), replayed, collected.errorType(), collected.message(),
                result);
    }

    /** Saves the stores; the driver must live on while commands wait, for the manager's timer to send them again. */
    private boolean save(TopologyTestDriver driver) {
        stores.saveFrom(driver);
        return stores.holdsAny(manager.pendingStore());
    }

    /** The stand-in meets each waiting command at the version it expects, so that only the scenario decides its result. */
    private void meetExpectedVersions(TopologyTestDriver driver, List<Awaiting<C>> awaiting) {
        KeyValueStore<String, byte[]> snapshots = driver.getKeyValueStore(target.stores().snapshots());
        for (Awaiting<C> waiting : awaiting) {
            Snapshot<String> snapshot = StandInTarget.snapshotFor(waiting.command());
            snapshots.put(snapshot.aggregateId(), target.serdes().snapshots().serializer().serialize("", snapshot));
        }
    }

    /** The manager's position for a source aggregate, read from its state store. */
    private ProcessState<S> position(TopologyTestDriver driver, String sourceAggregateId) {
        byte[] stored = driver.<String, byte[]>getKeyValueStore(manager.stateStore()).get(sourceAggregateId);
        return stored == null ? manager.engine().initial() : manager.readState(stored);
    }

    private byte[] eventRecord(Event<E> event) {
        return source.serdes().events().serializer().serialize("", event);
    }

    /** The headers the source's command processor gives an event record. */
    @SuppressWarnings("unchecked")
    private Headers headers(Event<E> event) {
        Headers headers = new RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, event.commandId());
        EventfoldHeaders.put(headers, EventfoldHeaders.VERSION, Long.toString(event.version()));
        if (!event.correlationId().equals(event.commandId())) {
            EventfoldHeaders.put(headers, EventfoldHeaders.CORRELATION_ID, event.correlationId());
        }
        EventfoldHeaders.putMetadata(headers, event.metadata());
        EventfoldHeaders.put(headers, EventfoldHeaders.EVENT_TYPE, ((JsonCodec<E>) source.eventCodec()).typeName(event.payload()));
        return headers;
    }

    private TestOutputTopic<String, byte[]> output(TopologyTestDriver driver, String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return EventfoldHeaders.read(record.headers(), name).orElse(null);
    }

    private Properties properties(Path stateDir) {
        Properties props = EventfoldConfig.topologyTestDriver(applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }
}
