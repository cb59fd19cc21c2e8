package io.eventfold.kafka.client;

import io.eventfold.kafka.AggregateType;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Reads, on its own thread, the partitions of the replies topic the consumer group gives this
 * gateway, and completes the futures of the commands waiting for those replies. A partition is
 * read from its end as of the moment it is assigned, and only then handed out as a reply
 * address, so a reply to a command sent afterwards is ahead. A partition lost in a rebalance has
 * its waiting commands sent again (see {@link ReplyPartitions}).
 */
final class ReplyListener<E, S> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyListener.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PAUSE_AFTER_ERROR = Duration.ofSeconds(1);
    private static final Duration POSITION_TIMEOUT = Duration.ofSeconds(30);

    private final Consumer<String, byte[]> consumer;
    private final AggregateType<?, E, S> type;
    private final ResultDelivery<E, S> delivery;
    private final ReplyPartitions partitions;
    private final String topic;
    private final Thread thread;
    private volatile boolean running = true;

    private ReplyListener(Consumer<String, byte[]> consumer, AggregateType<?, E, S> type, ResultDelivery<E, S> delivery,
                          ReplyPartitions partitions) {
        this.consumer = consumer;
        this.type = type;
        this.delivery = delivery;
        this.partitions = partitions;
        this.topic = type.topics().replies();
        this.thread = new Thread(this::run, "eventfold-gateway-replies-" + type.name());
        this.thread.setDaemon(true);
    }

    static <E, S> ReplyListener<E, S> start(Consumer<String, byte[]> consumer, AggregateType<?, E, S> type,
                                            ResultDelivery<E, S> delivery, ReplyPartitions partitions) {
        ReplyListener<E, S> listener = new ReplyListener<>(consumer, type, delivery, partitions);
        try {
            consumer.subscribe(List.of(listener.topic), listener.new Rebalances());
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        listener.thread.start();
        return listener;
    }

    /** Runs on the listener's thread, within poll. */
    private final class Rebalances implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (assigned.isEmpty()) {
                return;
            }
            consumer.seekToEnd(assigned);
            assigned.forEach(partition -> consumer.position(partition, POSITION_TIMEOUT));
            partitions.assigned(numbers(assigned));
            LOG.info("{}: reading replies on {}", type.name(), assigned);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            lose(revoked, "revoked");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            lose(lost, "lost");
        }

        private void lose(Collection<TopicPartition> gone, String how) {
            if (gone.isEmpty() || !running) {
                // Closing: the gateway fails its waiting commands itself.
                return;
            }
            List<Runnable> resends = partitions.lost(numbers(gone));
            LOG.info("{}: replies on {} {}, sending the {} commands waiting there again", type.name(), gone, how, resends.size());
            // Not on this thread: a send can block on metadata, and the group waits for this callback.
            resends.forEach(CompletableFuture::runAsync);
        }
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        return Set.copyOf(partitions.stream().map(TopicPartition::partition).toList());
    }

    private void run() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                        delivery.deliver(record);
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
            // Leaving the group hands the partitions to the other gateways at once.
            consumer.close(Duration.ofSeconds(5));
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
