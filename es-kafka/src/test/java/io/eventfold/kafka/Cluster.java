package io.eventfold.kafka;

import java.util.List;
import java.util.ArrayList;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/** Helpers shared by the integration tests: one embedded broker per test class, account types and apps on it. */
public final class Cluster {

    private Cluster() {
    }

    public static AggregateType<AccountCommand, AccountEvent, Account> accountsWithTopics(EmbeddedKafkaExtension kafka, String name, int partitions) {
        AggregateType<AccountCommand, AccountEvent, Account> type = EventSourcedTopologyTest.accounts(name);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicLayout.of(type).create(admin, partitions, (short) 1);
        }
        return type;
    }

    /** A gateway of the type on the extension's broker. */
    public static <C, E, S> CommandGateway<C, E, S> gateway(EmbeddedKafkaExtension kafka, AggregateType<C, E, S> type,
                                                          Duration timeout) {
        return CommandGateway.builder(type, kafka.bootstrapServers()).timeout(timeout).build();
    }

    public static Properties streamsProps(EmbeddedKafkaExtension kafka, String applicationId, Path stateDir) {
        Properties props = EventfoldConfig.streams(applicationId, kafka.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        return props;
    }

    public static void awaitRunning(KafkaStreams... instances) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (KafkaStreams streams : instances) {
            while (streams.state() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("streams not RUNNING within 60 s but " + streams.state());
                }
                sleep(50);
            }
        }
    }

    /** A graceful stop that leaves the group, so the next instance gets the partitions at once. */
    public static void stop(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }

    /**
     * Waits until the broker describes each topic with the given partition count. The controller
     * confirms a topic change a moment before the broker answering metadata requests knows it.
     */
    public static void awaitTopicMetadata(Admin admin, Map<String, Integer> partitionsByTopic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Map<String, Integer> seen = new java.util.HashMap<>();
            for (var described : admin.describeTopics(partitionsByTopic.keySet()).topicNameValues().entrySet()) {
                long left = Math.max(1, deadline - System.nanoTime());
                try {
                    seen.put(described.getKey(), described.getValue().get(left, java.util.concurrent.TimeUnit.NANOSECONDS).partitions().size());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notVisibleYet) {
                    seen.put(described.getKey(), 0);
                }
            }
            if (seen.equals(partitionsByTopic)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("topics not visible as " + partitionsByTopic + " within 30 s but " + seen);
            }
            sleep(50);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every committed record of a topic as it is now (read_committed, up to its end offsets), partition by partition. */
    public static List<ConsumerRecord<String, byte[]>> readAll(EmbeddedKafkaExtension kafka, String topic) {
        return readAll(kafka, topic, IsolationLevel.READ_COMMITTED);
    }

    /**
     * Every record of a topic as it is now, up to its end offsets, partition by partition; with
     * {@code READ_UNCOMMITTED} those of aborted transactions included.
     */
    public static List<ConsumerRecord<String, byte[]>> readAll(EmbeddedKafkaExtension kafka, String topic, IsolationLevel isolation) {
        Properties props = EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "reader-" + topic);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.name().toLowerCase(java.util.Locale.ROOT));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
