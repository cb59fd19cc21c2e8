package io.eventfold.kafka.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** An events partition read by a private read_committed consumer that is only ever {@code assign}ed. */
final class KafkaEventLog implements EventLog {

    /**
     * A call to the broker that takes longer is retried at the next tick rather than holding the
     * stream thread; two (beginning and end offsets) may run in one step, together well below the
     * 10 s transaction timeout.
     */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicPartition partition;

    KafkaEventLog(KafkaConsumer<String, byte[]> consumer, String topic, int partition) {
        this.consumer = consumer;
        this.partition = new TopicPartition(topic, partition);
        consumer.assign(Set.of(this.partition));
    }

    @Override
    public long beginningOffset() {
        return consumer.beginningOffsets(Set.of(partition), CALL_TIMEOUT).get(partition);
    }

    @Override
    public long endOffset() {
        // read_committed: the last stable offset, so an open transaction's events are not counted yet.
        return consumer.endOffsets(Set.of(partition), CALL_TIMEOUT).get(partition);
    }

    @Override
    public void seek(long offset) {
        consumer.seek(partition, offset);
    }

    @Override
    public long position() {
        return consumer.position(partition, CALL_TIMEOUT);
    }

    @Override
    public List<Entry> poll(Duration wait) {
        List<Entry> entries = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(wait).records(partition)) {
            entries.add(new Entry(record.offset(), record.key(), record.value()));
        }
        return entries;
    }

    @Override
    public void close() {
        consumer.close(Duration.ZERO);
    }
}
