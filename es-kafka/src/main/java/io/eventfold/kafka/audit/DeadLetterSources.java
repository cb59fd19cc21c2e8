package io.eventfold.kafka.audit;

import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.internal.RecordPosition;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The command records the topology sent to the dead-letter topic, known by the
 * {@link EventfoldHeaders#SOURCE} header each dead letter carries (a {@link RecordPosition}):
 * a command record found here has had its answer, whatever its key or command id.
 */
final class DeadLetterSources {

    private final String commandsTopic;
    private final Map<Integer, Set<Long>> offsets = new HashMap<>();
    private long records;
    private boolean trimmed;

    DeadLetterSources(String commandsTopic) {
        this.commandsTopic = commandsTopic;
    }

    void add(ConsumerRecord<String, byte[]> deadLetter) {
        records++;
        EventfoldHeaders.read(deadLetter.headers(), EventfoldHeaders.SOURCE).flatMap(RecordPosition::parse)
                .filter(source -> source.topic().equals(commandsTopic))
                .ifPresent(source -> offsets.computeIfAbsent(source.partition(), p -> new HashSet<>()).add(source.offset()));
    }

    /** Records that a partition of the dead-letter topic has lost its oldest records. */
    void trimmed(TopicReader.Extent extent) {
        trimmed |= extent.trimmed();
    }

    boolean contains(int partition, long offset) {
        Set<Long> dead = offsets.get(partition);
        return dead != null && dead.contains(offset);
    }

    /** Whether every dead letter ever written is still there, so a missing one is missing. */
    boolean complete() {
        return !trimmed;
    }

    long records() {
        return records;
    }
}
