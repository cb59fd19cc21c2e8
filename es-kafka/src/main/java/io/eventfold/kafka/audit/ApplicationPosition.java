package io.eventfold.kafka.audit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How far a Kafka Streams application has handled the commands topic: its consumer group's
 * committed offsets. Under {@code exactly_once_v2} an offset commits with the outputs of the
 * records before it, so every command before it has its outputs committed.
 */
final class ApplicationPosition {

    private ApplicationPosition() {
    }

    /**
     * The committed offset of each partition of the commands topic (0 where the application has
     * committed none: it has handled nothing there).
     *
     * @throws IllegalArgumentException when the application has committed no offset on any partition
     */
    static long[] handled(Properties adminProperties, String applicationId, String commandsTopic, int partitions, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> committed = committed(adminProperties, applicationId, timeout);
        long[] handled = offsets(committed, commandsTopic, partitions);
        if (Arrays.stream(handled).allMatch(offset -> offset < 0)) {
            throw new IllegalArgumentException("application '" + applicationId + "' has committed no offset on " + commandsTopic
                    + " (it has on " + committed.keySet() + "): is it the application.id of the topology that handles these commands?");
        }
        return Arrays.stream(handled).map(offset -> Math.max(0, offset)).toArray();
    }

    /**
     * How far the application has read another of its input topics, such as the events topic a
     * process manager reads: the committed offset of each partition, 0 where it has committed none.
     */
    static long[] read(Properties adminProperties, String applicationId, String topic, int partitions, Duration timeout) {
        return Arrays.stream(offsets(committed(adminProperties, applicationId, timeout), topic, partitions))
                .map(offset -> Math.max(0, offset)).toArray();
    }

    /** The committed offset of each partition of the topic; -1 where there is none. */
    private static long[] offsets(Map<TopicPartition, OffsetAndMetadata> committed, String topic, int partitions) {
        long[] offsets = new long[partitions];
        for (int partition = 0; partition < partitions; partition++) {
            OffsetAndMetadata offset = committed.get(new TopicPartition(topic, partition));
            offsets[partition] = offset == null ? -1 : offset.offset();
        }
        return offsets;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Properties adminProperties, String applicationId,
                                                                   Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = Admin.create(adminProperties)) {
            // Not requireStable: while a transaction's offsets are pending, the admin client leaves
            // the partition out rather than wait. The offsets of committed transactions are enough.
            committed = admin.listConsumerGroupOffsets(applicationId, new ListConsumerGroupOffsetsOptions().requireStable(false))
                    .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaException("cannot read the committed offsets of application '" + applicationId + "': " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("cannot read the committed offsets of application '" + applicationId + "' within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while reading the committed offsets of application '" + applicationId + "'", e);
        }
        return committed;
    }
}
