package io.eventfold.benchmarks.e2e;

import io.eventfold.benchmarks.report.ReplayResult;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Starting, stopping and restarting one streams application of a pass, and timing its restore.
 */
final class StreamsRun {

    private static final Duration RUNNING_TIMEOUT = Duration.ofMinutes(3);

    private StreamsRun() {
    }

    /** Waits until the application is RUNNING; fails if it stops or errs first. */
    static void awaitRunning(KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + RUNNING_TIMEOUT.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (!streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
                throw new IllegalStateException("streams application stopped in state " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("streams application not RUNNING after " + RUNNING_TIMEOUT);
            }
            Thread.sleep(5);
        }
    }

    /**
     * Closes the application and leaves the consumer group at once, so that the restarted
     * instance is not kept waiting for the old member's session to time out.
     */
    static void close(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }

    /**
     * Starts the application again with an empty state directory ({@link KafkaStreams#cleanUp()})
     * and times it until RUNNING, counting the changelog records it restores.
     *
     * @return the replay figures; the restarted application is closed again
     */
    static ReplayResult replay(Supplier<Topology> topology, Properties props) throws InterruptedException {
        Map<String, LongAdder> restored = new ConcurrentHashMap<>();
        KafkaStreams streams = new KafkaStreams(topology.get(), props);
        streams.cleanUp();
        streams.setGlobalStateRestoreListener(new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
            }

            @Override
            public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
                restored.computeIfAbsent(store, name -> new LongAdder()).add(numRestored);
            }

            @Override
            public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
            }
        });
        long start = System.nanoTime();
        streams.start();
        try {
            awaitRunning(streams);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Long> byStore = new TreeMap<>();
            restored.forEach((store, count) -> byStore.put(store, count.sum()));
            long total = byStore.values().stream().mapToLong(Long::longValue).sum();
            return new ReplayResult(seconds, total, byStore);
        } finally {
            close(streams);
        }
    }
}
