package io.eventfold.kafka.client;

/**
 * How far behind a copy of an aggregate's store a read may be: {@link #NONE} reads only the
 * active task's store (the owner's), {@link #atMost(long)} also accepts a standby replica, or a
 * store still restoring, whose changelog lags by at most that many records, as Kafka Streams
 * reports it ({@code KafkaStreams.allLocalStorePartitionLags()}). Each accepted command writes one
 * snapshot record, so a lag of {@code n} is about {@code n} accepted commands of the aggregate's
 * partition.
 *
 * <pre>{@code
 * Optional<Snapshot<Invoice>> invoice = store.get("INV-7", Staleness.atMost(100));
 * }</pre>
 *
 * @param maxLag the records the copy may lag by; -1 for the owner's store only
 */
public record Staleness(long maxLag) {

    /** Only the owner's store answers: never stale. */
    public static final Staleness NONE = new Staleness(-1);

    /**
     * Checks the bound.
     *
     * @param maxLag the records the copy may lag by; -1 for the owner's store only
     */
    public Staleness {
        if (maxLag < -1) {
            throw new IllegalArgumentException("maxLag must be -1 (owner only) or at least 0 but is " + maxLag);
        }
    }

    /**
     * A bound that lets a standby replica answer while the owner cannot.
     *
     * <pre>{@code
     * Staleness bound = Staleness.atMost(0);   // a standby that has applied every record
     * }</pre>
     *
     * @param records the changelog records the copy may lag by, at least 0
     * @return the bound
     */
    public static Staleness atMost(long records) {
        if (records < 0) {
            throw new IllegalArgumentException("records must be at least 0 but is " + records);
        }
        return new Staleness(records);
    }

    /**
     * Whether a copy other than the owner's may answer.
     *
     * @return true for {@link #atMost(long)}
     */
    public boolean allowsStandby() {
        return maxLag >= 0;
    }
}
