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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Reads a whole topic, committed records only, to the end it has when the read starts; no consumer group. */
final class TopicReader {

    private final Properties properties;
    private final Duration timeout;

    TopicReader(Properties consumerProperties, Duration timeout) {
        this.properties = ReadCommittedConsumers.properties(null, null, consumerProperties);
        this.timeout = timeout;
    }

    /** Every committed record of the topic, partition by partition in offset order. */
    List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new KafkaException("topic '" + topic + "' does not exist");
            }
            List<TopicPartition> partitions = infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition, timeout) < end.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                }
            }
            records.sort(Comparator.comparing((ConsumerRecord<String, byte[]> record) -> record.partition())
                    .thenComparingLong(ConsumerRecord::offset));
            return records;
        }
    }
}
