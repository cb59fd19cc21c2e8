package io.eventfold.kafka.internal;

import io.eventfold.kafka.Projection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The thread behind a {@code ProjectionRunner}: poll, apply, commit; retry a failed batch; rebuild on request. */
public final class ProjectionLoop<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final Deserializer<T> deserializer;
    private final Projection<T> projection;
    private final Properties properties;
    private final Duration retryPause;
    private final AtomicLong lag = new AtomicLong(-1);
    private final AtomicLong applied = new AtomicLong();
    private final AtomicReference<CompletableFuture<Void>> rebuild = new AtomicReference<>();
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public ProjectionLoop(String topic, Deserializer<T> deserializer, Projection<T> projection, Properties properties,
                          Duration retryPause) {
        this.topic = topic;
        this.deserializer = deserializer;
        this.projection = projection;
        this.properties = properties;
        this.retryPause = retryPause;
    }

    public ProjectionLoop<T> withConsumerProperties(Properties extra) {
        Properties merged = new Properties();
        merged.putAll(properties);
        merged.putAll(extra);
        merged.put("isolation.level", "read_committed");
        merged.put("enable.auto.commit", false);
        return new ProjectionLoop<>(topic, deserializer, projection, merged, retryPause);
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the projection runner of " + topic + " was started before");
        }
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::run, "eventfold-projection-" + properties.getProperty("group.id"));
        thread.setDaemon(true);
        thread.start();
    }

    public CompletableFuture<Void> requestRebuild() {
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

    public long lag() {
        return lag.get();
    }

    public long applied() {
        return applied.get();
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
        } catch (RuntimeException e) {
            LOG.error("projection of {} stopped", topic, e);
        } finally {
            running = false;
            CompletableFuture<Void> pending = rebuild.getAndSet(null);
            if (pending != null) {
                pending.completeExceptionally(new IllegalStateException("the projection runner stopped"));
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
            // No partitions yet: the group is still forming. Ask again after the next poll.
            rebuild.compareAndSet(null, request);
            return;
        }
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

    private void applyAndCommit(ConsumerRecords<String, byte[]> records) {
        List<T> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                batch.add(deserializer.deserialize(record.topic(), record.value()));
            } catch (RuntimeException e) {
                LOG.error("projection of {}: record {}-{}@{} cannot be read and is skipped", topic, record.topic(),
                        record.partition(), record.offset(), e);
            }
        }
        boolean done = batch.isEmpty();
        while (!done && running) {
            try {
                projection.apply(batch);
                applied.addAndGet(batch.size());
                done = true;
            } catch (Exception e) {
                LOG.warn("projection of {} failed to apply {} records; retrying in {} ms", topic, batch.size(),
                        retryPause.toMillis(), e);
                pause();
            }
        }
        if (done) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition partition : records.partitions()) {
                List<ConsumerRecord<String, byte[]>> partitionRecords = records.records(partition);
                offsets.put(partition, new OffsetAndMetadata(partitionRecords.get(partitionRecords.size() - 1).offset() + 1));
            }
            consumer.commitSync(offsets);
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

    public void close() {
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
