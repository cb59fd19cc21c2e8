package io.eventfold.kafka.audit;

import io.eventfold.kafka.internal.ReadCommittedConsumers;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Streams the committed records of one partition at a time, up to an end offset taken
 * beforehand, and hands each to a handler without keeping it: an audit's memory does not grow
 * with the topics. One consumer, no consumer group.
 */
final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Duration stall;
    private final AuditListener listener;
    private final long progressEveryRecords;
    private final long progressEveryNanos;

    /**
     * @param stall how long a read may go without a record before it fails, however long the whole read takes
     */
    TopicReader(Properties consumerProperties, Duration stall, AuditListener listener, long progressEveryRecords,
                Duration progressEvery) {
        this.consumer = new KafkaConsumer<>(ReadCommittedConsumers.properties(null, null, consumerProperties),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.stall = stall;
        this.listener = listener;
        this.progressEveryRecords = progressEveryRecords;
        this.progressEveryNanos = progressEvery.toNanos();
    }

    /** The topic's partition count; fails when it does not exist. */
    int partitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, stall);
        if (infos == null || infos.isEmpty()) {
            throw new KafkaException("topic '" + topic + "' does not exist");
        }
        return infos.size();
    }

    /** The end ({@code read_committed}: the last stable offset) of each partition of the topic, now. */
    long[] ends(String topic, int partitions) {
        List<TopicPartition> all = new ArrayList<>(partitions);
        for (int partition = 0; partition < partitions; partition++) {
            all.add(new TopicPartition(topic, partition));
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(all, stall);
        long[] offsets = new long[partitions];
        for (int partition = 0; partition < partitions; partition++) {
            offsets[partition] = ends.get(all.get(partition));
        }
        return offsets;
    }

    /** Hands each committed record of the partition before {@code end} to the handler, in offset order. */
    Extent read(String topic, int partition, int partitions, long end, Consumer<ConsumerRecord<String, byte[]>> handler) {
        return read(topic, partition, partitions, 0, end, handler);
    }

    /**
     * Hands each committed record of the partition from {@code from} (or its first offset, if
     * later) to before {@code end} to the handler, in offset order.
     */
    Extent read(String topic, int partition, int partitions, long from, long end, Consumer<ConsumerRecord<String, byte[]>> handler) {
        TopicPartition tp = new TopicPartition(topic, partition);
        consumer.assign(List.of(tp));
        long beginning = consumer.beginningOffsets(List.of(tp), stall).get(tp);
        long start = Math.max(from, beginning);
        consumer.seek(tp, start);
        long records = 0;
        long firstTimestamp = -1;
        long reported = 0;
        long reportedAt = System.nanoTime();
        long position = start;
        long lastMove = System.nanoTime();
        while (position < end) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200)).records(tp)) {
                if (record.offset() >= end) {
                    break;
                }
                if (records == 0) {
                    firstTimestamp = record.timestamp();
                }
                handler.accept(record);
                records++;
            }
            long now = System.nanoTime();
            long reached = consumer.position(tp, stall);
            if (reached > position) {
                position = reached;
                lastMove = now;
            } else if (now - lastMove > stall.toNanos()) {
                throw new KafkaException("could not read " + tp + " past offset " + position + " (end " + end + ") within " + stall);
            }
            if (position < end && (records - reported >= progressEveryRecords || now - reportedAt >= progressEveryNanos)) {
                listener.onProgress(new AuditProgress(topic, partition, partitions, records, Math.max(0, end - start), false));
                reported = records;
                reportedAt = now;
            }
        }
        listener.onProgress(new AuditProgress(topic, partition, partitions, records, Math.max(0, end - start), true));
        return new Extent(beginning, end, records, firstTimestamp);
    }

    @Override
    public void close() {
        consumer.close();
    }

    /**
     * What a partition held when it was read.
     *
     * @param beginning its first offset: greater than 0 when its oldest records were deleted
     * @param end the offset the read stopped at
     * @param records the committed records read (from where the read started)
     * @param firstTimestamp the timestamp of the first of them, -1 when there was none
     */
    record Extent(long beginning, long end, long records, long firstTimestamp) {

        boolean trimmed() {
            return beginning > 0;
        }
    }
}
