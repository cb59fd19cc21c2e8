package io.eventfold.kafka.client;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.core.CommandResult;
import io.eventfold.kafka.internal.ConsumedRecords;
import io.eventfold.kafka.internal.UnknownTypes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the command-results topic on its own thread and completes the futures of the commands
 * its gateway waits for. It starts at the end of the topic: the position of every partition is
 * fixed before {@link #start} returns, so any command sent afterwards has its result ahead.
 */
final class ResultListener<E, S> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultListener.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PAUSE_AFTER_ERROR = Duration.ofSeconds(1);

    private final Consumer<String, byte[]> consumer;
    private final AggregateType<?, E, S> type;
    private final PendingCommands<E, S> pending;
    private final String topic;
    private final Set<TopicPartition> assigned = new HashSet<>();
    /** The consumer's metadata.max.age.ms: sooner, it could not see a new partition anyway. */
    private final Duration partitionCheck;
    private final Thread thread;
    private volatile boolean running = true;

    private ResultListener(Consumer<String, byte[]> consumer, AggregateType<?, E, S> type, PendingCommands<E, S> pending,
                           Duration partitionCheck) {
        this.consumer = consumer;
        this.partitionCheck = partitionCheck;
        this.type = type;
        this.pending = pending;
        this.topic = type.topics().commandResults();
        this.thread = new Thread(this::run, "eventfold-gateway-results-" + type.name());
        this.thread.setDaemon(true);
    }

    static <E, S> ResultListener<E, S> start(Consumer<String, byte[]> consumer, AggregateType<?, E, S> type,
                                             PendingCommands<E, S> pending, Duration partitionCheck) {
        ResultListener<E, S> listener = new ResultListener<>(consumer, type, pending, partitionCheck);
        try {
            List<TopicPartition> partitions = listener.partitions();
            if (partitions.isEmpty()) {
                throw new KafkaException("topic '" + listener.topic + "' does not exist: create it with TopicLayout.create");
            }
            listener.assign(partitions);
            consumer.seekToEnd(partitions);
            // position() resolves the lazy seek now, before any command can be sent.
            partitions.forEach(partition -> consumer.position(partition, Duration.ofSeconds(30)));
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        listener.thread.start();
        return listener;
    }

    private void run() {
        long nextPartitionCheck = System.nanoTime() + partitionCheck.toNanos();
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                        deliver(record);
                    }
                    if (System.nanoTime() > nextPartitionCheck) {
                        followNewPartitions();
                        nextPartitionCheck = System.nanoTime() + partitionCheck.toNanos();
                    }
                } catch (WakeupException closing) {
                    throw closing;
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
        assigned.addAll(partitions);
        consumer.assign(assigned);
    }

    /**
     * A result the gateway waits for completes its future, or fails it with an
     * {@link UnreadableResultException} that keeps its kind and version when it cannot be read;
     * anything else, readable or not, is passed over.
     */
    private void deliver(ConsumerRecord<String, byte[]> record) {
        String aggregateId = record.key();
        String commandId = EventfoldHeaders.commandId(record.headers()).orElse(null);
        if (aggregateId == null || commandId == null || !pending.isWaitingFor(aggregateId, commandId)) {
            return;
        }
        CommandResult<E, S> result;
        try {
            result = type.serdes().results().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            UnreadableResultException unreadable = unreadable(record, aggregateId, commandId, e);
            if (unreadable.unknownTypes().isEmpty()) {
                LOG.warn("{}: {}", type.name(), unreadable.getMessage(), e);
            } else {
                // An upgrade in progress, not a bug: the message says it all.
                LOG.warn("{}: {}", type.name(), unreadable.getMessage());
            }
            pending.fail(aggregateId, commandId, unreadable);
            return;
        }
        pending.complete(aggregateId, commandId, result);
    }

    /** What the headers tell of a result that cannot be decoded: its kind and version, so an accepted command is known as one. */
    private UnreadableResultException unreadable(ConsumerRecord<String, byte[]> record, String aggregateId, String commandId,
                                                 RuntimeException error) {
        CommandResult.Kind kind = EventfoldHeaders.read(record.headers(), EventfoldHeaders.RESULT_KIND)
                .flatMap(ResultListener::kind).orElse(null);
        return new UnreadableResultException(commandId, aggregateId, kind, ConsumedRecords.version(record.headers()),
                ConsumedRecords.source(record), UnknownTypes.inResult(type.eventCodec(), type.eventUpcasters(), type.stateCodec(), record.value()), error);
    }

    private static Optional<CommandResult.Kind> kind(String header) {
        try {
            return Optional.of(CommandResult.Kind.valueOf(header.trim()));
        } catch (IllegalArgumentException unknownKind) {
            return Optional.empty();
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
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
