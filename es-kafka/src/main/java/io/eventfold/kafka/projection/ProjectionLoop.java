package io.eventfold.kafka.projection;

import io.eventfold.kafka.internal.ReadCommittedConsumers;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The thread behind a {@code ProjectionRunner}: poll, apply, commit; retry a failed batch; rebuild on request. */
final class ProjectionLoop<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final BatchDecoder<T> decoder;
    private final Projection<T> projection;
    private final Properties properties;
    private final Duration retryPause;
    private final AtomicLong lag = new AtomicLong(-1);
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    /** Why the thread ended on its own; null while it runs and after close(). */
    private volatile RuntimeException failure;
    private final AtomicReference<CompletableFuture<Void>> rebuild = new AtomicReference<>();
    private static final int MAX_POLLS_WITHOUT_PARTITIONS = 150;
    private int pollsWithoutPartitions;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    ProjectionLoop(String topic, BatchDecoder<T> decoder, Projection<T> projection, Properties properties,
                   Duration retryPause) {
        this.topic = topic;
        this.decoder = decoder;
        this.projection = projection;
        this.properties = properties;
        this.retryPause = retryPause;
    }

    ProjectionLoop<T> withConsumerProperties(Properties extra) {
        Properties merged = new Properties();
        merged.putAll(properties);
        merged.putAll(extra);
        merged = ReadCommittedConsumers.properties(null, properties.getProperty("group.id"), merged);
        return new ProjectionLoop<>(topic, decoder, projection, merged, retryPause);
    }

    ProjectionLoop<T> withUnknownTypePolicy(UnknownTypePolicy policy) {
        return new ProjectionLoop<>(topic, decoder.withPolicy(policy), projection, properties, retryPause);
    }

    synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the projection runner of " + topic + " was started before");
        }
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::run, "eventfold-projection-" + properties.getProperty("group.id"));
        thread.setDaemon(true);
        thread.start();
    }

    CompletableFuture<Void> requestRebuild() {
        CompletableFuture<Void> request = new CompletableFuture<>();
        CompletableFuture<Void> earlier = rebuild.getAndSet(request);
        if (earlier != null) {
            request.whenComplete((done, error) -> {
                if (error != null) {
                    earlier.completeExceptionally(error);
                } else {
                    earlier.complete(null);
                }
            });
        }
        if (!running) {
            request.completeExceptionally(new IllegalStateException("the projection runner is not running"));
        }
        return request;
    }

    long lag() {
        return lag.get();
    }

    long applied() {
        return applied.get();
    }

    long skipped() {
        return skipped.get();
    }

    boolean isRunning() {
        return running;
    }

    RuntimeException failure() {
        return failure;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (running) {
                rebuildIfRequested();
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    applyAndCommit(records);
                }
                updateLag();
            }
        } catch (WakeupException closing) {
            // close() woke the consumer up.
        } catch (ProjectionStoppedException stopped) {
            failure = stopped;
            LOG.error("{}", stopped.getMessage());
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("projection of {} stopped", topic, e);
        } finally {
            running = false;
            CompletableFuture<Void> pending = rebuild.getAndSet(null);
            if (pending != null) {
                pending.completeExceptionally(new IllegalStateException("the projection runner stopped", failure));
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void rebuildIfRequested() {
        CompletableFuture<Void> request = rebuild.getAndSet(null);
        if (request == null) {
            return;
        }
        if (consumer.assignment().isEmpty()) {
            if (++pollsWithoutPartitions > MAX_POLLS_WITHOUT_PARTITIONS) {
                request.completeExceptionally(new IllegalStateException("no partition of " + topic
                        + " was assigned to this runner: a rebuild needs the only runner of its group"));
                return;
            }
            // No partitions yet: the group is still forming. Ask again after the next poll.
            if (!rebuild.compareAndSet(null, request)) {
                CompletableFuture<Void> newer = rebuild.get();   // a newer request carries on for both callers
                if (newer == null) {
                    request.completeExceptionally(new IllegalStateException("the rebuild request was lost; ask again"));
                } else {
                    newer.whenComplete((done, error) -> {
                        if (error != null) {
                            request.completeExceptionally(error);
                        } else {
                            request.complete(null);
                        }
                    });
                }
            }
            return;
        }
        pollsWithoutPartitions = 0;
        try {
            projection.reset();
            consumer.seekToBeginning(consumer.assignment());
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            consumer.assignment().forEach(partition -> start.put(partition, new OffsetAndMetadata(0)));
            consumer.commitSync(start);
            LOG.info("projection of {} reset; reading again from the beginning", topic);
            request.complete(null);
        } catch (Exception e) {
            request.completeExceptionally(e);
        }
    }

    /**
     * Applies one polled batch and commits its offsets. A batch that cannot be decoded or
     * applied is not committed: the consumer seeks back to its first records and polls them
     * again after a pause, so it stays in its group (a thread stuck retrying would be evicted
     * after max.poll.interval.ms) and nothing is skipped. A record of an unknown type is the
     * {@link UnknownTypePolicy}'s: under STOP the exception ends the thread, nothing committed.
     */
    private void applyAndCommit(ConsumerRecords<String, byte[]> records) {
        BatchDecoder.Batch<T> batch;
        try {
            batch = decoder.decode(records);
            if (!batch.values().isEmpty()) {
                projection.apply(batch.values());
            }
        } catch (ProjectionStoppedException stop) {
            throw stop;
        } catch (Exception e) {
            LOG.warn("projection of {} failed to apply {} records; retrying in {} ms", topic, records.count(),
                    retryPause.toMillis(), e);
            for (TopicPartition partition : records.partitions()) {
                consumer.seek(partition, records.records(partition).get(0).offset());
            }
            pause();
            return;
        }
        applied.addAndGet(batch.values().size());
        // Reported once the batch went through, so a retried batch does not report its skips twice.
        for (BatchDecoder.Skipped record : batch.skipped()) {
            LOG.warn("projection '{}' skipped {} (UnknownTypePolicy.SKIP)", properties.getProperty("group.id"), record);
        }
        skipped.addAndGet(batch.skipped().size());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> partitionRecords = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(partitionRecords.get(partitionRecords.size() - 1).offset() + 1));
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
            // The partitions moved on (or the broker is away): whoever reads them next gets this
            // batch again, which at-least-once delivery allows.
            LOG.warn("projection of {}: offsets not committed, the batch will come again: {}", topic, e.toString());
        }
    }

    private void updateLag() {
        long total = 0;
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong partitionLag = consumer.currentLag(partition);
            if (partitionLag.isEmpty()) {
                return;
            }
            total += partitionLag.getAsLong();
        }
        lag.set(total);
    }

    private void pause() {
        try {
            Thread.sleep(retryPause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    void close() {
        Thread started;
        synchronized (this) {
            started = thread;
        }
        running = false;
        if (started == null) {
            return;
        }
        consumer.wakeup();
        try {
            started.join(Duration.ofSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
