package io.eventfold.kafka;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads every output topic of an aggregate type with {@code read_committed} and lists what breaks
 * Eventfold's guarantees: results per command id, event version sequences, snapshots against the
 * replay of their events.
 */
final class OutputAudit<C, E, S> {

    private final AggregateType<C, E, S> type;
    private final String bootstrapServers;

    final Map<String, List<CommandResult<E, S>>> resultsByCommandId = new LinkedHashMap<>();
    final Map<String, List<Event<E>>> eventsByAggregate = new TreeMap<>();
    final Map<String, Snapshot<S>> latestSnapshots = new TreeMap<>();
    int duplicateResults;

    OutputAudit(AggregateType<C, E, S> type, String bootstrapServers) {
        this.type = type;
        this.bootstrapServers = bootstrapServers;
    }

    OutputAudit<C, E, S> read() {
        EnvelopeSerdes<C, E, S> serdes = type.serdes();
        for (ConsumerRecord<String, byte[]> record : readAll(type.topics().commandResults())) {
            if (record.headers().lastHeader(EventfoldHeaders.DUPLICATE) != null) {
                duplicateResults++;
                continue;
            }
            CommandResult<E, S> result = serdes.results().deserializer().deserialize("", record.value());
            resultsByCommandId.computeIfAbsent(result.commandId(), id -> new ArrayList<>()).add(result);
        }
        for (ConsumerRecord<String, byte[]> record : readAll(type.topics().events())) {
            Event<E> event = serdes.events().deserializer().deserialize("", record.value());
            eventsByAggregate.computeIfAbsent(event.aggregateId(), id -> new ArrayList<>()).add(event);
        }
        for (ConsumerRecord<String, byte[]> record : readAll(type.topics().snapshots())) {
            latestSnapshots.put(record.key(), serdes.snapshots().deserializer().deserialize("", record.value()));
        }
        return this;
    }

    /** Every broken guarantee, one line each; empty when all hold. */
    List<String> violations(Set<String> sentCommandIds) {
        List<String> violations = new ArrayList<>();
        for (String commandId : sentCommandIds) {
            int count = resultsByCommandId.getOrDefault(commandId, List.of()).size();
            if (count != 1) {
                violations.add("command " + commandId + " has " + count + " results");
            }
        }
        resultsByCommandId.keySet().stream().filter(id -> !sentCommandIds.contains(id))
                .forEach(id -> violations.add("result for unknown command " + id));
        Map<String, Integer> eventsPerCommand = new HashMap<>();
        eventsByAggregate.forEach((aggregateId, events) -> {
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).version() != i + 1) {
                    violations.add(aggregateId + ": event #" + (i + 1) + " has version " + events.get(i).version());
                    break;
                }
            }
            events.forEach(event -> eventsPerCommand.merge(event.commandId(), 1, Integer::sum));
            Snapshot<S> snapshot = latestSnapshots.get(aggregateId);
            if (snapshot == null) {
                violations.add(aggregateId + ": events but no snapshot");
            } else {
                if (snapshot.version() != events.size()) {
                    violations.add(aggregateId + ": snapshot version " + snapshot.version() + " but " + events.size() + " events");
                }
                S replayed = type.aggregate().replay(events.stream().map(Event::payload).toList());
                if (!replayed.equals(snapshot.state())) {
                    violations.add(aggregateId + ": snapshot state " + snapshot.state() + " differs from replay " + replayed);
                }
            }
        });
        resultsByCommandId.forEach((commandId, results) -> {
            CommandResult<E, S> result = results.get(0);
            int expected = result instanceof CommandResult.Accepted<E, S> accepted ? accepted.events().size() : 0;
            int actual = eventsPerCommand.getOrDefault(commandId, 0);
            if (expected != actual) {
                violations.add("command " + commandId + " (" + result.kind() + ") has " + actual + " events, expected " + expected);
            }
        });
        return violations;
    }

    long count(Function<CommandResult<E, S>, Boolean> filter) {
        return resultsByCommandId.values().stream().map(list -> list.get(0)).filter(filter::apply).count();
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Properties props = EventfoldConfig.readCommittedConsumer(bootstrapServers, "audit-unused");
        props.remove("group.id");
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 60s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // Per-partition order is what the guarantees speak of; keep it, partition by partition.
            records.sort(java.util.Comparator.comparing((ConsumerRecord<String, byte[]> r) -> r.partition())
                    .thenComparingLong(ConsumerRecord::offset));
            return records;
        }
    }
}
