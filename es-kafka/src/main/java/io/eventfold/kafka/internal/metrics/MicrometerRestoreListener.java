package io.eventfold.kafka.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far the instance's stores are restored from their changelogs: a gauge of the offsets left
 * per store (over its partitions restoring now) and a counter of the records restored. Kafka
 * Streams calls it from its restore threads.
 *
 * <p>The offsets left of a store live in one map per registry, shared by every listener of the
 * registry (Kafka Streams instances started one after the other in a JVM, or side by side):
 * Micrometer hands a later listener the gauge the first registered, which must read its partitions too.
 */
final class MicrometerRestoreListener implements StateRestoreListener {

    /** Offsets left, by registry, store and changelog partition; a partition leaves when its restore ends or is suspended. */
    private static final Map<MeterRegistry, Map<String, Map<TopicPartition, Long>>> REMAINING =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final MeterRegistry registry;
    private final Map<String, Map<TopicPartition, Long>> remaining;

    MicrometerRestoreListener(MeterRegistry registry) {
        this.registry = registry;
        this.remaining = REMAINING.computeIfAbsent(registry, r -> new ConcurrentHashMap<>());
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
        partitions(storeName).put(partition, Math.max(0, endingOffset - startingOffset));
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
        partitions(storeName).computeIfPresent(partition, (p, left) -> Math.max(0, left - numRestored));
        restored(storeName).increment(numRestored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
        partitions(storeName).remove(partition);
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
        partitions(storeName).remove(partition);
    }

    private Map<TopicPartition, Long> partitions(String store) {
        return remaining.computeIfAbsent(store, name -> {
            Map<TopicPartition, Long> left = new ConcurrentHashMap<>();
            Gauge.builder(MeterNames.RESTORE_REMAINING, left, MicrometerRestoreListener::sum)
                    .description("Changelog offsets still to restore into the store").tag(MeterNames.STORE, name)
                    .strongReference(true).register(registry);
            return left;
        });
    }

    private Counter restored(String store) {
        return Counter.builder(MeterNames.RESTORED).description("Changelog records restored into the store")
                .tag(MeterNames.STORE, store).register(registry);
    }

    private static double sum(Map<TopicPartition, Long> left) {
        return left.values().stream().mapToLong(Long::longValue).sum();
    }
}
