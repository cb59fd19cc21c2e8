package io.eventfold.kafka.projection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, from the last version applied per aggregate, which records of a batch are new: a
 * version at or below the last one was applied before and is dropped. For events, the next
 * version must be exactly the last one plus one (1 for an aggregate never applied); anything
 * else is a {@link VersionGapException}. Snapshots need only be newer: one command may write
 * several events, and the snapshots topic is compacted. A record skipped for an unknown type, or
 * one an upcaster dropped, counts as applied, so its version is no gap; a record an upcaster split
 * delivers its events in order, all at its version. Pure: no I/O.
 */
final class VersionSequencer {

    /** What the runner reads. */
    enum Mode { EVENTS, SNAPSHOTS }

    /**
     * A record of a batch, as the sequencer sees it.
     *
     * @param aggregateId the aggregate
     * @param version its version
     * @param coordinates where it is, {@code topic-partition@offset}
     * @param deliveries what the projection gets, in order: usually one; none for a record skipped under
     *     {@link UnknownTypePolicy#SKIP} or dropped by an upcaster, several for one an upcaster split
     */
    record Entry<T>(String aggregateId, long version, String coordinates, List<Delivery<T>> deliveries) {

        Entry {
            deliveries = List.copyOf(deliveries);
        }
    }

    /**
     * @param fresh the deliveries to apply, in the batch's order
     * @param last the new last version of every aggregate that moved
     * @param duplicates records dropped as applied before
     */
    record Result<T>(List<Delivery<T>> fresh, Map<String, Long> last, int duplicates) {
    }

    private final Mode mode;
    private final String projection;
    private final int generation;

    VersionSequencer(Mode mode, String projection, int generation) {
        this.mode = mode;
        this.projection = projection;
        this.generation = generation;
    }

    /**
     * @param applied the last version applied per aggregate; an aggregate never applied is absent
     * @param entries the batch, in order per aggregate
     * @throws VersionGapException for an events projection, at the first version that does not follow the last one
     */
    <T> Result<T> sequence(Map<String, Long> applied, List<Entry<T>> entries) {
        Map<String, Long> last = new HashMap<>(applied);
        Map<String, Long> moved = new LinkedHashMap<>();
        List<Delivery<T>> fresh = new ArrayList<>();
        int duplicates = 0;
        for (Entry<T> entry : entries) {
            long previous = last.getOrDefault(entry.aggregateId(), 0L);
            if (entry.version() <= previous) {
                duplicates++;
                continue;
            }
            if (mode == Mode.EVENTS && entry.version() != previous + 1) {
                throw new VersionGapException(projection, generation, entry.aggregateId(), previous, entry.version(),
                        entry.coordinates());
            }
            last.put(entry.aggregateId(), entry.version());
            moved.put(entry.aggregateId(), entry.version());
            fresh.addAll(entry.deliveries());
        }
        return new Result<>(fresh, moved, duplicates);
    }
}
