package io.eventfold.kafka.client;

import io.eventfold.kafka.AggregateType;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the command-results topic on its own thread and completes the futures of the commands
 * its gateway waits for. It reads from the end of the topic: with a {@linkplain ResultsDemand#permanent()
 * permanent demand} the position of every partition is fixed before {@link #start} returns, so any
 * command sent afterwards has its result ahead; on demand, each time reading starts again, before
 * the commands that asked for it are sent.
 */
final class ResultListener<E, S> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultListener.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PAUSE_AFTER_ERROR = Duration.ofSeconds(1);
    private static final Duration POSITION_TIMEOUT = Duration.ofSeconds(30);

    private final Consumer<String, byte[]> consumer;
    private final AggregateType<?, E, S> type;
    private final ResultDelivery<E, S> delivery;
    private final ResultsDemand demand;
    private final String topic;
    private final Set<TopicPartition> assigned = new HashSet<>();
    /** The consumer's metadata.max.age.ms: sooner, it could not see a new partition anyway. */
    private final Duration partitionCheck;
    private final Thread thread;
    private volatile boolean running = true;

    private ResultListener(Consumer<String, byte[]> consumer, AggregateType<?, E, S> type, ResultDelivery<E, S> delivery,
                           ResultsDemand demand, Duration partitionCheck) {
        this.consumer = consumer;
        this.partitionCheck = partitionCheck;
        this.type = type;
        this.delivery = delivery;
        this.demand = demand;
        this.topic = type.topics().commandResults();
        this.thread = new Thread(this::run, "eventfold-gateway-results-" + type.name());
        this.thread.setDaemon(true);
    }

    static <E, S> ResultListener<E, S> start(Consumer<String, byte[]> consumer, AggregateType<?, E, S> type,
                                             ResultDelivery<E, S> delivery, ResultsDemand demand, Duration partitionCheck) {
        ResultListener<E, S> listener = new ResultListener<>(consumer, type, delivery, demand, partitionCheck);
        try {
            List<TopicPartition> partitions = listener.partitions();
            if (partitions.isEmpty()) {
                throw new KafkaException("topic '" + listener.topic + "' does not exist: create it with TopicLayout.create");
            }
            listener.assign(partitions);
            if (demand.isPermanent()) {
                listener.placeAtEnd(partitions);
            }
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        listener.thread.start();
        return listener;
    }

    /** Fixes the position of the partitions at their end now: position() resolves the lazy seek. */
    private void placeAtEnd(Set<TopicPartition> partitions) {
        consumer.seekToEnd(partitions);
        partitions.forEach(partition -> consumer.position(partition, POSITION_TIMEOUT));
    }

    private void placeAtEnd(List<TopicPartition> partitions) {
        placeAtEnd(new HashSet<>(partitions));
    }

    private void run() {
        long nextPartitionCheck = System.nanoTime() + partitionCheck.toNanos();
        try {
            while (running) {
                try {
                    if (!demand.awaitWanted(POLL.toMillis())) {
                        continue;
                    }
                    if (demand.mustStart()) {
                        assign(partitions().stream().filter(partition -> !assigned.contains(partition)).toList());
                        placeAtEnd(assigned);
                        demand.startedReading();
                    }
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                        delivery.deliver(record);
                    }
                    if (System.nanoTime() > nextPartitionCheck) {
                        followNewPartitions();
                        nextPartitionCheck = System.nanoTime() + partitionCheck.toNanos();
                    }
                } catch (WakeupException closing) {
                    throw closing;
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    running = false;
                } catch (RuntimeException e) {
                    // The commands waiting meanwhile time out; the listener itself keeps going.
                    LOG.error("{}: reading {} failed, trying again in {} ms", type.name(), topic, PAUSE_AFTER_ERROR.toMillis(), e);
                    pause();
                }
            }
        } catch (WakeupException closing) {
            // close() woke the consumer up.
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Partitions added after the start hold only results of commands sent since: read them from their beginning. */
    private void followNewPartitions() {
        List<TopicPartition> added = partitions().stream().filter(partition -> !assigned.contains(partition)).toList();
        if (!added.isEmpty()) {
            LOG.info("{}: {} gained partitions {}, reading them too", type.name(), topic, added);
            assign(added);
            consumer.seekToBeginning(added);
        }
    }

    private List<TopicPartition> partitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        return infos == null ? List.of() : infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private void assign(List<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            assigned.addAll(partitions);
            consumer.assign(assigned);
        }
    }

    private void pause() {
        try {
            Thread.sleep(PAUSE_AFTER_ERROR.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        demand.close();
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
