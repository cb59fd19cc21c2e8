package io.eventfold.kafka.internal;

import java.time.Duration;
import java.util.List;

/**
 * One partition of an events topic, read from an offset: what a snapshot rebuild replays. Kafka
 * in production ({@link EventLogs#kafka}), a list in tests ({@link InMemoryEventLog}). Used on
 * one stream thread only; any call may throw a {@code KafkaException}, which the rebuild retries.
 */
public interface EventLog extends AutoCloseable {

    /** A record of the log: its offset and value (the event envelope). */
    record Entry(long offset, String key, byte[] value) {
    }

    /** The first offset the log still holds (above 0 once events were deleted). */
    long beginningOffset();

    /** The offset the next record written will get; committed records only. */
    long endOffset();

    /** Reads from this offset on. */
    void seek(long offset);

    /** The offset after the last record returned, past transaction markers once they are passed. */
    long position();

    /** The next records, in offset order; empty when none arrive within the wait. */
    List<Entry> poll(Duration wait);

    @Override
    void close();
}
