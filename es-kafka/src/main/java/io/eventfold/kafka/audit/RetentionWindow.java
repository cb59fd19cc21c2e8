package io.eventfold.kafka.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * What a topic still holds, as a {@link LogAudit} found it: on how many partitions the brokers
 * have deleted the oldest records (by retention, or by hand with {@code deleteRecords}), how
 * many offsets they took, and the time of the oldest record left.
 *
 * <pre>{@code
 * RetentionWindow results = report.resultsWindow();
 * if (!results.complete()) {
 *     System.out.println("results kept from " + results.oldestRecord().orElseThrow());
 * }
 * }</pre>
 *
 * @param topic the topic
 * @param partitions how many partitions it has
 * @param trimmedPartitions on how many of them records were deleted: their first offset is not 0
 * @param deletedOffsets the offsets before the first one still held, summed over the partitions
 *     (records and transaction markers)
 * @param oldestRecordMillis the timestamp of the oldest record still held (the first record of
 *     each partition, the oldest of them), or -1 when the topic holds none
 */
public record RetentionWindow(String topic, int partitions, int trimmedPartitions, long deletedOffsets, long oldestRecordMillis) {

    /**
     * Tells whether the topic still holds every record ever written to it.
     *
     * @return true when no partition has lost records
     */
    public boolean complete() {
        return trimmedPartitions == 0;
    }

    /**
     * The time of the oldest record still held.
     *
     * @return its timestamp, or empty when the topic holds no record
     */
    public Optional<Instant> oldestRecord() {
        return oldestRecordMillis < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(oldestRecordMillis));
    }

    /**
     * A few words for a report.
     *
     * <pre>{@code
     * window.describe()   // "invoice-command-results from 2026-11-21T08:00:00Z (1200 offsets deleted on 3 of 3 partitions)"
     * }</pre>
     *
     * @return the topic and what it still holds
     */
    public String describe() {
        if (complete()) {
            return topic + " complete";
        }
        return topic + oldestRecord().map(oldest -> " from " + oldest).orElse(" empty") + " (" + deletedOffsets
                + " offsets deleted on " + trimmedPartitions + " of " + partitions + " partitions)";
    }
}
