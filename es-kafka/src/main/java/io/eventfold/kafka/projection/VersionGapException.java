package io.eventfold.kafka.projection;

/**
 * An events projection received a version of an aggregate that does not follow the last one it
 * applied: a version is missing from its read model. Events topics are never compacted or
 * trimmed, and a batch's rows, versions and checkpoints commit together, so a gap is always a
 * fault (a sink that lost a transaction but kept a later one, events deleted from the log): the
 * runner stops with status {@link ProjectionStatus.State#FAILED} before applying anything of the
 * batch, and its checkpoint stays where it was. It is never retried.
 *
 * <pre>{@code
 * runner.status().lastError().ifPresent(failure -> alert(failure.message()));
 * // projection invoice-history (generation 1): aggregate INV-7 jumps from version 8 to version 10 at invoices-events-2@1234; …
 * }</pre>
 */
public final class VersionGapException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The projection's name. */
    private final String projection;
    /** The generation's number. */
    private final int generation;
    /** The aggregate with the gap. */
    private final String aggregateId;
    /** The last version applied, 0 for none. */
    private final long lastApplied;
    /** The version received instead of the next one. */
    private final long received;
    /** Where the record is, {@code topic-partition@offset}. */
    private final String coordinates;

    /**
     * Creates the exception.
     *
     * @param projection the projection's name
     * @param generation the generation's number
     * @param aggregateId the aggregate
     * @param lastApplied the last version applied to the read model, 0 for none
     * @param received the version received
     * @param coordinates where the record is, as {@code topic-partition@offset}
     */
    public VersionGapException(String projection, int generation, String aggregateId, long lastApplied, long received,
                               String coordinates) {
        super("projection " + projection + " (generation " + generation + "): aggregate " + aggregateId + " jumps from version "
                + lastApplied + " to version " + received + " at " + coordinates + "; " + missing(lastApplied, received)
                + " from the read model. Nothing of this batch was applied. Find the cause (a sink that lost transactions"
                + " but kept later ones, events deleted), then rebuild the projection");
        this.projection = projection;
        this.generation = generation;
        this.aggregateId = aggregateId;
        this.lastApplied = lastApplied;
        this.received = received;
        this.coordinates = coordinates;
    }

    private static String missing(long lastApplied, long received) {
        return received == lastApplied + 2 ? "version " + (lastApplied + 1) + " is missing"
                : "versions " + (lastApplied + 1) + " to " + (received - 1) + " are missing";
    }

    /**
     * The projection that stopped.
     *
     * @return its name
     */
    public String projection() {
        return projection;
    }

    /**
     * The generation that stopped.
     *
     * @return its number
     */
    public int generation() {
        return generation;
    }

    /**
     * The aggregate with the gap.
     *
     * @return its id
     */
    public String aggregateId() {
        return aggregateId;
    }

    /**
     * The last version of the aggregate in the read model.
     *
     * @return the version, 0 when none was applied
     */
    public long lastApplied() {
        return lastApplied;
    }

    /**
     * The version that arrived instead of {@code lastApplied() + 1}.
     *
     * @return the version
     */
    public long received() {
        return received;
    }

    /**
     * Where the record with that version is.
     *
     * @return {@code topic-partition@offset}
     */
    public String coordinates() {
        return coordinates;
    }
}
