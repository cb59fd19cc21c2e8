package io.eventfold.kafka.client;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.core.CommandResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Reads the command-results topic on its own thread and completes the futures of the commands
 * its gateway waits for. It starts at the end of the topic: the position of every partition is
 * fixed before {@link #start} returns, so any command sent afterwards has its result ahead.
 */
final class ResultListener<E, S> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultListener.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, byte[]> consumer;
    private final AggregateType<?, E, S> type;
    private final PendingCommands<E, S> pending;
    private final Thread thread;
    private volatile boolean running = true;

    private ResultListener(KafkaConsumer<String, byte[]> consumer, AggregateType<?, E, S> type, PendingCommands<E, S> pending) {
        this.consumer = consumer;
        this.type = type;
        this.pending = pending;
        this.thread = new Thread(this::run, "eventfold-gateway-results-" + type.name());
        this.thread.setDaemon(true);
    }

    public static <E, S> ResultListener<E, S> start(KafkaConsumer<String, byte[]> consumer, AggregateType<?, E, S> type,
                                                    PendingCommands<E, S> pending) {
        String topic = type.topics().commandResults();
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                throw new KafkaException("topic '" + topic + "' does not exist: create it with TopicLayout.create");
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToEnd(assigned);
            // position() resolves the lazy seek now, before any command can be sent.
            assigned.forEach(partition -> consumer.position(partition, Duration.ofSeconds(30)));
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        ResultListener<E, S> listener = new ResultListener<>(consumer, type, pending);
        listener.thread.start();
        return listener;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    deliver(record);
                }
            }
        } catch (WakeupException closing) {
            // close() woke the consumer up.
        } catch (RuntimeException e) {
            LOG.error("{}: the result listener stopped; the gateway fails every command from now on", type.name(), e);
            pending.close(new IllegalStateException("the gateway no longer reads results: " + e, e));
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void deliver(ConsumerRecord<String, byte[]> record) {
        String commandId = commandId(record);
        if (commandId == null || !pending.isWaitingFor(commandId)) {
            return;
        }
        try {
            CommandResult<E, S> result = type.serdes().results().deserializer().deserialize(record.topic(), record.value());
            pending.complete(commandId, result);
        } catch (RuntimeException e) {
            LOG.warn("{}: unreadable result for command {} at {}-{}@{}", type.name(), commandId, record.topic(),
                    record.partition(), record.offset(), e);
            pending.fail(commandId, e);
        }
    }

    private static String commandId(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(EventfoldHeaders.COMMAND_ID);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
