package io.eventfold.kafka.projection;

import org.apache.kafka.common.TopicPartition;

/**
 * Another runner of the same projection moved a partition's checkpoint since this runner read
 * it: the partition was reassigned (after a rebalance, or after this runner missed
 * {@code max.poll.interval.ms}). The transaction that finds it rolls back, so nothing of its batch
 * is written twice; the runner reads the partition's position again and carries on.
 *
 * <pre>{@code
 * store.claim(connection, generation, Map.of(partition, OptionalLong.of(100)));   // throws if no longer at 100
 * }</pre>
 */
public final class CheckpointConflictException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The partition whose checkpoint moved. */
    private final TopicPartition partition;

    /**
     * Creates the exception.
     *
     * @param projection the projection's name
     * @param generation the generation's number
     * @param partition the partition whose checkpoint is not where this runner expected it
     * @param expected what the runner expected: the next offset, or "no checkpoint"
     */
    public CheckpointConflictException(String projection, int generation, TopicPartition partition, String expected) {
        super("projection " + projection + " (generation " + generation + "): the checkpoint of " + partition
                + " is no longer " + expected + "; another runner of the projection moved it, so this batch is rolled back");
        this.partition = partition;
    }

    /**
     * The partition whose checkpoint moved.
     *
     * @return the partition
     */
    public TopicPartition partition() {
        return partition;
    }
}
