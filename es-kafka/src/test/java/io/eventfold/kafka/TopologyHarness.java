package io.eventfold.kafka;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import org.apache.kafka.common.header.Headers;
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
import org.apache.kafka.streams.test.TestRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import io.eventfold.kafka.internal.EventLogs;

/** One aggregate type's topics on a {@link TopologyTestDriver}. */
final class TopologyHarness<C, E, S> {

    static final Instant START = Instant.parse("2026-11-22T08:00:00Z");

    final AggregateType<C, E, S> type;
    final TestInputTopic<String, byte[]> commands;
    final TestOutputTopic<String, Event<E>> events;
    final TestOutputTopic<String, Snapshot<S>> snapshots;
    final TestOutputTopic<String, byte[]> results;
    final TestOutputTopic<String, byte[]> deadLetters;

    TopologyHarness(TopologyTestDriver driver, AggregateType<C, E, S> type) {
        this.type = type;
        TopicNames topics = type.topics();
        this.commands = driver.createInputTopic(topics.commands(), new StringSerializer(), new ByteArraySerializer(), START, java.time.Duration.ZERO);
        this.events = driver.createOutputTopic(topics.events(), new StringDeserializer(), type.serdes().events().deserializer());
        this.snapshots = driver.createOutputTopic(topics.snapshots(), new StringDeserializer(), type.serdes().snapshots().deserializer());
        this.results = driver.createOutputTopic(topics.commandResults(), new StringDeserializer(), new ByteArrayDeserializer());
        this.deadLetters = driver.createOutputTopic(topics.deadLetters(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    static TopologyTestDriver driver(Path stateDir, AggregateType<?, ?, ?>... types) {
        return driver(stateDir, new Properties(), types);
    }

    static TopologyTestDriver driver(Path stateDir, Properties extra, AggregateType<?, ?, ?>... types) {
        Topology topology = EventSourcedTopology.of(types);
        Properties props = EventfoldConfig.streams("eventfold-test", "localhost:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // No broker here: the snapshot rebuild reads an events log with no record unless a test gives one.
        props.put(EventLogs.CONFIG, EventLogs.empty());
        props.putAll(extra);
        return new TopologyTestDriver(topology, props, START);
    }

    void send(Command<C> command) {
        commands.pipeInput(command.aggregateId(), type.serdes().commands().serializer().serialize("", command));
    }

    /** Sends a command whose sender asks for the state in an accepted result, as a gateway built with resultsWithState(true) does. */
    void sendAskingState(Command<C> command) {
        Headers headers = new RecordHeaders();
        EventfoldHeaders.askForState(headers);
        commands.pipeInput(new TestRecord<>(command.aggregateId(), type.serdes().commands().serializer().serialize("", command),
                headers, START));
    }

    void sendRaw(String key, byte[] value, String commandIdHeader) {
        Headers headers = new RecordHeaders();
        if (commandIdHeader != null) {
            headers.add(EventfoldHeaders.COMMAND_ID, commandIdHeader.getBytes(StandardCharsets.UTF_8));
        }
        commands.pipeInput(new TestRecord<>(key, value, headers, START));
    }

    CommandResult<E, S> decode(TestRecord<String, byte[]> result) {
        return type.serdes().results().deserializer().deserialize("", result.value());
    }

    List<CommandResult<E, S>> readResults() {
        return results.readRecordsToList().stream().map(this::decode).toList();
    }

    static String header(TestRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
