package io.eventfold.kafka;

/**
 * A snapshot (or the state in a result) was written with another state version than the aggregate
 * type's current one, so it is never used as if it were current: its state may have another shape,
 * or have been folded by another {@code evolve}. The command processor rebuilds such snapshots
 * from the events; other readers skip or report them.
 *
 * <pre>{@code
 * try {
 *     store.get("INV-1");
 * } catch (SnapshotVersionException e) {
 *     log.info("INV-1 is stored at state version {}, current is {}", e.storedVersion(), e.currentVersion());
 * }
 * }</pre>
 */
public class SnapshotVersionException extends EnvelopeFormatException {

    private static final long serialVersionUID = 1L;

    /** The aggregate whose state the record holds. */
    private final String aggregateId;
    /** The state version the record was written with. */
    private final int storedVersion;
    /** The aggregate type's state version. */
    private final int currentVersion;

    /**
     * Creates the exception.
     *
     * @param what the record read, for the message ({@code "snapshot"}, {@code "result"})
     * @param aggregateId the aggregate whose state it holds
     * @param storedVersion the state version the record was written with
     * @param currentVersion the aggregate type's state version
     */
    public SnapshotVersionException(String what, String aggregateId, int storedVersion, int currentVersion) {
        super(what + " of aggregate '" + aggregateId + "' was written with state version " + storedVersion
                + " but the current state version is " + currentVersion
                + (storedVersion < currentVersion ? ": it is rebuilt from the events" : ": it was written by a newer build"));
        this.aggregateId = aggregateId;
        this.storedVersion = storedVersion;
        this.currentVersion = currentVersion;
    }

    /**
     * The aggregate whose state the record holds.
     *
     * @return the aggregate id
     */
    public String aggregateId() {
        return aggregateId;
    }

    /**
     * The state version the record was written with.
     *
     * @return the stored version
     */
    public int storedVersion() {
        return storedVersion;
    }

    /**
     * The aggregate type's current state version.
     *
     * @return the current version
     */
    public int currentVersion() {
        return currentVersion;
    }
}
