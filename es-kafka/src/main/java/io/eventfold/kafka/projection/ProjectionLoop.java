package io.eventfold.kafka.projection;

import io.eventfold.kafka.internal.ReadCommittedConsumers;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The thread behind a {@code ProjectionRunner}: find the live generation, read each assigned
 * partition's position from the checkpoint store, then poll and apply each batch in one sink
 * transaction with its versions and checkpoints. Retries what may pass, stops on what cannot.
 */
final class ProjectionLoop<T, S> {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final RunnerSettings<T, S> settings;
    private final StatusTracker status;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile RuntimeException failure;
    private Thread thread;

    private final Generation generation;
    private final ApplyTracing applying;
    /** Set when the runner closes this loop to move to another generation: no final state then. */
    private volatile boolean retired;
    /** Every partition of the topic, once the consumer knows them (the switch-over covers them all). */
    private volatile List<TopicPartition> partitions = List.of();

    // Loop-thread state; the rebalance callbacks run on the loop thread too, inside poll().
    private VersionSequencer sequencer;
    private final Set<TopicPartition> unpositioned = new HashSet<>();
    private final Map<TopicPartition, OptionalLong> expected = new HashMap<>();
    private boolean joined;

    ProjectionLoop(RunnerSettings<T, S> settings, StatusTracker status, Generation generation) {
        this.applying = new ApplyTracing(settings.tracing(), settings.name());
        this.settings = settings;
        this.status = status;
        this.generation = generation;
    }

    Generation generation() {
        return generation;
    }

    StatusTracker status() {
        return status;
    }

    List<TopicPartition> partitions() {
        return partitions;
    }

    synchronized void start() {
        thread = new Thread(this::run, "eventfold-projection-" + settings.name() + "-g" + generation.number());
        thread.setDaemon(true);
        thread.start();
    }

    boolean isRunning() {
        Thread started = thread;
        return started != null && started.isAlive() && !StatusTracker.stopped(status.current().state());
    }

    RuntimeException failure() {
        return failure;
    }

    private void run() {
        try {
            if (!createTables()) {
                return;
            }
            sequencer = new VersionSequencer(settings.mode(), settings.name(), generation.number());
            Properties props = ReadCommittedConsumers.properties(null, settings.name() + ".g" + generation.number(),
                    settings.consumerProperties());
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(settings.topic()), new Rebalance());
            status.state(ProjectionStatus.State.CATCHING_UP);
            while (running) {
                try {
                    if (partitions.isEmpty()) {
                        partitions = consumer.partitionsFor(settings.topic()).stream()
                                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                    }
                    if (!unpositioned.isEmpty()) {
                        position();
                    }
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    if (!records.isEmpty()) {
                        applyAndCommit(records);
                    } else {
                        advanceIdle();
                        // An idle round that reached the brokers ends a streak of failures too.
                        status.recovered();
                    }
                    updateLag();
                } catch (RetriableException brokersAway) {
                    // Metadata or an offset the brokers did not give in time: it passes when they are back.
                    retry(brokersAway, Optional.empty());
                }
            }
            stopped(ProjectionStatus.State.STOPPED);
        } catch (WakeupException | InterruptException closing) {
            stopped(ProjectionStatus.State.STOPPED);
        } catch (RuntimeException | Error e) {
            if (!running && e instanceof InterruptException) {
                stopped(ProjectionStatus.State.STOPPED);
            } else {
                fail(e);
            }
        } finally {
            running = false;
            KafkaConsumer<String, byte[]> open = consumer;
            if (open != null) {
                open.close(Duration.ofSeconds(5));
            }
            if (!retired && !StatusTracker.stopped(status.current().state())) {
                // Closed while starting or waiting to retry: the thread ends, and the status says so.
                status.state(ProjectionStatus.State.STOPPED);
            }
        }
    }

    /** The final state, unless the runner moved on to another generation: then its status belongs to the next loop. */
    private void stopped(ProjectionStatus.State state) {
        if (!retired) {
            status.state(state);
        }
    }

    /** Creates the generation's tables (idempotent, a transaction of its own); false when closed meanwhile. */
    private boolean createTables() {
        while (running) {
            try {
                settings.store().inTransaction(session -> {
                    settings.projection().createTables(session, generation);
                    return null;
                });
                status.recovered();
                LOG.info("projection {} {} generation {} (version {}) from {}", settings.name(),
                        generation.state() == Generation.State.BUILDING ? "builds" : "feeds", generation.number(), generation.version(),
                        settings.topic());
                return true;
            } catch (Exception e) {
                retry(e, Optional.empty());
            }
        }
        return false;
    }

    /** Reads the positions of newly assigned partitions and seeks there; on failure they stay paused. */
    private void position() {
        Set<TopicPartition> partitions = new HashSet<>(unpositioned);
        Map<TopicPartition, Long> positions;
        try {
            positions = settings.store().inTransaction(session -> settings.store().positions(session, generation, partitions));
        } catch (Exception e) {
            retry(e, Optional.empty());
            return;
        }
        for (TopicPartition partition : partitions) {
            Long next = positions.get(partition);
            if (next == null) {
                consumer.seekToBeginning(List.of(partition));
                expected.put(partition, OptionalLong.empty());
            } else {
                consumer.seek(partition, next);
                expected.put(partition, OptionalLong.of(next));
            }
        }
        LOG.info("projection {} (generation {}) reads {} from its checkpoints {}", settings.name(), generation.number(),
                partitions, positions);
        unpositioned.removeAll(partitions);
        consumer.resume(partitions);
        status.recovered();
    }

    /**
     * Applies one polled batch in one transaction with its versions and checkpoints. A batch that
     * fails for a reason that may pass is rolled back, the consumer seeks back to its first
     * records and polls them again after a pause, so it stays in its group and nothing is skipped.
     */
    private void applyAndCommit(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, Long> first = new HashMap<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        Map<TopicPartition, OptionalLong> claims = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> partitionRecords = records.records(partition);
            first.put(partition, partitionRecords.get(0).offset());
            // The position, not the last offset + 1: it is past the transaction markers that follow the
            // records, so a checkpoint at the end is the end offset and the group's lag reads 0.
            next.put(partition, Math.max(partitionRecords.get(partitionRecords.size() - 1).offset() + 1, consumer.position(partition)));
            OptionalLong position = expected.get(partition);
            if (position == null) {
                // Not positioned from the store (cannot happen while the partition is paused until then): read it again.
                reposition(records.partitions());
                return;
            }
            claims.put(partition, position);
        }
        CheckpointStore<S> store = settings.store();
        BatchDecoder.Batch<T> batch;
        VersionSequencer.Result<T> result;
        try {
            batch = settings.decoder().decode(records);
            List<String> ids = batch.entries().stream().map(VersionSequencer.Entry::aggregateId).distinct().toList();
            result = store.inTransaction(session -> {
                store.claim(session, generation, claims, status.current().instance());
                VersionSequencer.Result<T> sequenced = sequencer.sequence(store.lastVersions(session, generation, ids), batch.entries());
                if (!sequenced.fresh().isEmpty()) {
                    applying.apply(records, generation.number(), sequenced.fresh(),
                            () -> settings.projection().apply(session, generation, sequenced.fresh()));
                }
                store.recordVersions(session, generation, sequenced.last());
                store.advance(session, generation, next, status.current().instance());
                return sequenced;
            });
        } catch (VersionGapException | ProjectionStoppedException stop) {
            throw stop;
        } catch (GenerationRetiredException retiredMeanwhile) {
            // A switch-over retired this generation: nothing of the batch is written, and the runner follows the new one.
            retire(retiredMeanwhile);
            return;
        } catch (CheckpointConflictException conflict) {
            repositionAfter(conflict, records.partitions());
            return;
        } catch (Exception e) {
            first.forEach(consumer::seek);
            retry(e, Optional.of(coordinates(records)));
            return;
        }
        next.forEach((partition, offset) -> expected.put(partition, OptionalLong.of(offset)));
        adviseGroup(next);
        for (String record : batch.stale()) {
            LOG.info("projection '{}' passed over the snapshot at {}: written before the state version was raised,"
                    + " a rebuilt one follows", settings.name(), record);
        }
        for (BatchDecoder.Skipped record : batch.skipped()) {
            LOG.warn("projection '{}' skipped {} (UnknownTypePolicy.SKIP)", settings.name(), record);
        }
        if (result.duplicates() > 0) {
            LOG.debug("projection {} dropped {} records applied before", settings.name(), result.duplicates());
        }
        status.committed(result.fresh().size(), batch.skipped().size(), ProjectionStatus.State.CATCHING_UP);
        if (!result.fresh().isEmpty()) {
            try {
                settings.projection().committed(generation, result.fresh());
            } catch (RuntimeException e) {
                LOG.warn("projection {}: committed() threw; the batch stays committed", settings.name(), e);
            }
        }
    }

    /**
     * Moves the checkpoints of idle partitions whose position passed records that are not data:
     * the marker that ends a Kafka transaction comes after its records, often in a later fetch,
     * so a batch's checkpoint may stop one short of the end. Without this a build whose last
     * batch came before the marker would stay behind the live generation and never switch.
     */
    private void advanceIdle() {
        Map<TopicPartition, OptionalLong> claims = new HashMap<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong at = expected.get(partition);
            if (at == null || unpositioned.contains(partition)) {
                continue;
            }
            long position = consumer.position(partition);
            if (position > at.orElse(0)) {
                claims.put(partition, at);
                next.put(partition, position);
            }
        }
        if (claims.isEmpty()) {
            return;
        }
        CheckpointStore<S> store = settings.store();
        try {
            store.inTransaction(session -> {
                store.claim(session, generation, claims, status.current().instance());
                store.advance(session, generation, next, status.current().instance());
                return null;
            });
        } catch (GenerationRetiredException retiredMeanwhile) {
            retire(retiredMeanwhile);
            return;
        } catch (CheckpointConflictException conflict) {
            repositionAfter(conflict, claims.keySet());
            return;
        } catch (Exception e) {
            // Nothing was applied: the next idle poll tries again.
            LOG.debug("projection {}: checkpoints of idle partitions not moved: {}", settings.name(), e.toString());
            return;
        }
        next.forEach((partition, offset) -> expected.put(partition, OptionalLong.of(offset)));
        adviseGroup(next);
    }

    /** Where the batch starts, for messages. */
    private static String coordinates(ConsumerRecords<String, byte[]> records) {
        ConsumerRecord<String, byte[]> firstRecord = records.iterator().next();
        return firstRecord.topic() + "-" + firstRecord.partition() + "@" + firstRecord.offset();
    }

    private void reposition(Collection<TopicPartition> partitions) {
        Set<TopicPartition> assigned = consumer.assignment();
        for (TopicPartition partition : partitions) {
            expected.remove(partition);
            if (assigned.contains(partition)) {
                unpositioned.add(partition);
            }
        }
        consumer.pause(unpositioned);
    }

    /** The group's offsets follow the checkpoints for lag tooling; nothing reads them, so a failure only waits for the next batch. */
    private void adviseGroup(Map<TopicPartition, Long> next) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        next.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error != null) {
                LOG.debug("projection {}: advisory offsets not committed: {}", settings.name(), error.toString());
            }
        });
    }

    /** Ends this loop: its generation was retired by a switch-over, and the runner follows the new one. */
    private void retire(GenerationRetiredException retiredMeanwhile) {
        LOG.info("{}", retiredMeanwhile.getMessage());
        retired = true;
        running = false;
    }

    /** Another runner moved or created these checkpoints: nothing was written, the positions are read again. */
    private void repositionAfter(CheckpointConflictException conflict, Collection<TopicPartition> partitions) {
        LOG.warn("{}; reading the positions of {} again", conflict.getMessage(), partitions);
        reposition(partitions);
    }

    private void updateLag() {
        if (!unpositioned.isEmpty() || !joined) {
            status.lag(-1);
            return;
        }
        long total = 0;
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong partitionLag = consumer.currentLag(partition);
            if (partitionLag.isEmpty()) {
                status.lag(-1);
                return;
            }
            total += partitionLag.getAsLong();
        }
        status.lag(total);
        if (total == 0 && status.current().state() == ProjectionStatus.State.CATCHING_UP) {
            status.state(ProjectionStatus.State.RUNNING);
        }
    }

    /** Records a failure that may pass, tells the listeners, and waits before the next attempt. */
    private void retry(Exception e, Optional<String> coordinates) {
        int attempt = status.current().consecutiveFailures() + 1;
        Duration pause = settings.backoff(attempt);
        LOG.warn("projection {} failed{}; attempt {}, retrying in {} ms", settings.name(),
                coordinates.map(at -> " at " + at).orElse(""), attempt, pause.toMillis(), e);
        status.failed(ProjectionStatus.State.RETRYING, e, coordinates);
        try {
            stopping.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void fail(Throwable e) {
        failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        Optional<String> coordinates = e instanceof VersionGapException gap ? Optional.of(gap.coordinates())
                : e instanceof ProjectionStoppedException stopped ? Optional.ofNullable(stopped.source()) : Optional.empty();
        if (e instanceof VersionGapException || e instanceof ProjectionStoppedException) {
            LOG.error("{}", e.getMessage());
        } else {
            LOG.error("projection {} stopped", settings.name(), e);
        }
        status.failed(ProjectionStatus.State.FAILED, e, coordinates);
    }

    /** Closes the loop without a final state: the runner moves to another generation. */
    void retire() {
        retired = true;
        close();
    }

    /** Asks the loop to stop after its current batch, without waiting for it. */
    void stopSoon(boolean quietly) {
        if (quietly) {
            retired = true;
        }
        running = false;
        stopping.countDown();
        KafkaConsumer<String, byte[]> open = consumer;
        if (open != null) {
            open.wakeup();
        }
    }

    void close() {
        Thread started;
        synchronized (this) {
            started = thread;
        }
        running = false;
        stopping.countDown();
        if (started == null) {
            return;
        }
        KafkaConsumer<String, byte[]> open = consumer;
        if (open != null) {
            open.wakeup();
        }
        try {
            started.join(Duration.ofSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs inside poll() on the loop thread: pauses new partitions until their positions come from the store. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined = true;
            if (!partitions.isEmpty()) {
                consumer.pause(partitions);
                unpositioned.addAll(partitions);
                if (status.current().state() == ProjectionStatus.State.RUNNING) {
                    status.state(ProjectionStatus.State.CATCHING_UP);
                }
            }
            status.assigned(consumer.assignment());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            unpositioned.removeAll(partitions);
            partitions.forEach(expected::remove);
            Set<TopicPartition> left = new HashSet<>(consumer.assignment());
            left.removeAll(partitions);
            status.assigned(left);
        }
    }
}
