package io.eventfold.kafka;

import java.time.Instant;

/**
 * Where the snapshot rebuild of one partition of an aggregate type stands: reported by
 * {@link SnapshotRebuilds} while the command topology recomputes the partition's snapshots from
 * its events after a state-version change.
 *
 * <pre>{@code
 * SnapshotRebuilds.of("billing", invoices).subscribe(status ->
 *     log.info("{} p{}: {} {}/{}", status.type(), status.partition(), status.phase(), status.offsetsRead(), status.offsetsTotal()));
 * }</pre>
 *
 * @param type the aggregate type's name
 * @param partition the partition of its commands, events and snapshots topics
 * @param phase where the rebuild is
 * @param fromStateVersion the state version of the snapshots before (0 when the store held none)
 * @param toStateVersion the state version being built, the type's {@link AggregateType#stateVersion()}
 * @param offsetsRead how far the events partition has been replayed
 * @param offsetsTotal the end of the events partition when the replay began (0 for a fresh partition)
 * @param aggregates how many aggregates the replay has rebuilt so far
 * @param startedAt when the rebuild began, or null when none ran
 * @param finishedAt when the partition became CURRENT, or null
 */
public record RebuildStatus(String type, int partition, Phase phase, int fromStateVersion, int toStateVersion,
                            long offsetsRead, long offsetsTotal, long aggregates, Instant startedAt, Instant finishedAt) {

    /** The phases of a partition's snapshots. */
    public enum Phase {
        /** Not decided yet: the processor has not read the events partition's end. Commands wait. */
        STARTING,
        /** Replaying the events partition into the snapshot store. Commands wait. */
        REPLAYING,
        /** Every snapshot is complete; each rebuilt one is sent to the snapshots topic. Commands are handled. */
        PUBLISHING,
        /** The snapshots are of the current state version. Commands are handled. */
        CURRENT,
        /** The rebuild cannot go on (events deleted, a version gap); see the ERROR log. Commands wait. */
        FAILED,
        /** A newer build rebuilt this partition for a newer state version; this build must not overwrite it. */
        REFUSING_NEWER
    }

    /**
     * How much of the events partition has been replayed.
     *
     * @return 0 to 100; 100 for an empty partition
     */
    public int percent() {
        return offsetsTotal <= 0 ? 100 : (int) Math.min(100, offsetsRead * 100 / offsetsTotal);
    }

    /**
     * Whether commands of this partition are handled.
     *
     * @return true in PUBLISHING and CURRENT
     */
    public boolean handlesCommands() {
        return phase == Phase.PUBLISHING || phase == Phase.CURRENT;
    }
}
