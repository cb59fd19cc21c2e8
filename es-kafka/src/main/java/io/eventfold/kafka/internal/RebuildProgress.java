package io.eventfold.kafka.internal;

import io.eventfold.kafka.RebuildStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the JVM how a partition's rebuild goes: the {@link RebuildRegistry} (read through {@code SnapshotRebuilds}) (each phase
 * change, progress at most once a second), an INFO line every 5 seconds with the rate, and which
 * partitions' stores must not be read as current ({@link #rebuilding}).
 */
public final class RebuildProgress {

    private static final Logger LOG = LoggerFactory.getLogger(RebuildProgress.class);
    private static final long REPORT_NANOS = 1_000_000_000L;
    private static final long LOG_NANOS = 5_000_000_000L;
    /** Snapshot-store name → partitions of this JVM whose entries may be incomplete. */
    private static final ConcurrentHashMap<String, Set<Integer>> NOT_READABLE = new ConcurrentHashMap<>();

    private final RebuildRegistry registry;
    private final String storeName;
    private final int partition;
    private RebuildStatus last;
    private long lastReportNanos;
    private long lastLogNanos;
    private long lastLogOffset;

    RebuildProgress(RebuildRegistry registry, String storeName, int partition) {
        this.registry = registry;
        this.storeName = storeName;
        this.partition = partition;
    }

    /**
     * Whether a partition's snapshot entries may be incomplete (a rebuild replays into them, or
     * cannot go on), for readers of the store in this JVM.
     *
     * @param storeName the snapshot store
     * @param partition the partition, or -1 for any
     * @return true while its entries must not be read as current
     */
    public static boolean rebuilding(String storeName, int partition) {
        Set<Integer> partitions = NOT_READABLE.get(storeName);
        if (partitions == null) {
            return false;
        }
        return partition < 0 ? !partitions.isEmpty() : partitions.contains(partition);
    }

    void update(RebuildStatus status, long nanos) {
        boolean phaseChanged = last == null || last.phase() != status.phase();
        boolean readable = status.handlesCommands() || status.phase() == RebuildStatus.Phase.REFUSING_NEWER;
        Set<Integer> partitions = NOT_READABLE.computeIfAbsent(storeName, name -> ConcurrentHashMap.newKeySet());
        if (readable) {
            partitions.remove(partition);
        } else if (status.phase() != RebuildStatus.Phase.STARTING) {
            partitions.add(partition);
        }
        if (phaseChanged || (!Objects.equals(last, status) && nanos - lastReportNanos >= REPORT_NANOS)) {
            registry.report(status);
            lastReportNanos = nanos;
        }
        if (status.phase() == RebuildStatus.Phase.REPLAYING) {
            if (phaseChanged) {
                lastLogNanos = nanos;
                lastLogOffset = status.offsetsRead();
            } else if (nanos - lastLogNanos >= LOG_NANOS) {
                double seconds = (nanos - lastLogNanos) / 1e9;
                long rate = Math.round((status.offsetsRead() - lastLogOffset) / seconds);
                long left = status.offsetsTotal() - status.offsetsRead();
                LOG.info("{}: partition {} rebuilding snapshots for state version {}: {}% ({} of {} offsets, {} aggregates),"
                                + " {} offsets/s, about {} s left", status.type(), partition, status.toStateVersion(),
                        status.percent(), status.offsetsRead(), status.offsetsTotal(), status.aggregates(), rate,
                        rate <= 0 ? "?" : Long.toString(Math.max(0, left) / rate));
                lastLogNanos = nanos;
                lastLogOffset = status.offsetsRead();
            }
        }
        last = status;
    }

    /** The partition's task left this instance. */
    void closed() {
        registry.removed(partition);
        Set<Integer> partitions = NOT_READABLE.get(storeName);
        if (partitions != null) {
            partitions.remove(partition);
        }
    }
}
