package io.eventfold.kafka.audit;

import io.eventfold.core.Aggregate;
import io.eventfold.core.Event;
import io.eventfold.core.HistoryInvariants;
import io.eventfold.core.Snapshot;

import io.eventfold.kafka.internal.StoredEvent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The event histories of the aggregates of one partition, read one event at a time: per
 * aggregate only its event count, its last version and the state its events fold to are kept,
 * never the events, so memory grows with the number of aggregates and not with the events
 * topic, which is kept forever. The latest snapshot of each is compared with the fold as it is
 * read, and only the verdict is kept.
 *
 * @param <E> the event type
 * @param <S> the state type
 */
final class AggregateFolds<E, S> {

    private final Aggregate<?, E, S> aggregate;
    private final Set<String> pendingAggregates;
    private final Map<String, Fold<S>> folds = new HashMap<>();
    private long events;

    AggregateFolds(Aggregate<?, E, S> aggregate) {
        this(aggregate, Set.of());
    }

    /**
     * @param pendingAggregates aggregates with a command the application had not handled when
     *     the audit took the topics' ends: their snapshot may be read before or after that
     *     command's events, so it is not compared with them
     */
    AggregateFolds(Aggregate<?, E, S> aggregate, Set<String> pendingAggregates) {
        this.aggregate = aggregate;
        this.pendingAggregates = pendingAggregates;
    }

    /** Folds the next event of its aggregate; the first version out of place of each aggregate is a violation. */
    void event(Event<E> event, Violations violations) {
        record(new StoredEvent<>(event.aggregateId(), event.version(), event.commandId(), List.of(event)), violations);
    }

    /**
     * Folds the next stored event record of its aggregate: counted once, as one version of the
     * history, whatever number of events upcasting made of it, each of which is folded in order.
     */
    void record(StoredEvent<E> record, Violations violations) {
        events++;
        Fold<S> fold = folds.computeIfAbsent(record.aggregateId(), id -> new Fold<>(aggregate.initialState()));
        fold.events++;
        if (!fold.versionsBroken) {
            HistoryInvariants.versionInPlace(Violations.id(record.aggregateId()), fold.events, record.version(), record.commandId(),
                    fold.events).ifPresent(violation -> {
                fold.versionsBroken = true; // one violation per aggregate, as for a whole history
                violations.add(violation);
            });
        }
        fold.lastVersion = record.version();
        for (Event<E> event : record.events()) {
            if (fold.replayError != null) {
                break;
            }
            try {
                fold.state = aggregate.evolve(fold.state, event.payload());
            } catch (RuntimeException e) {
                fold.replayError = e;
                fold.state = null;
            }
        }
    }

    /**
     * Compares a snapshot with its aggregate's fold; a later snapshot of the same aggregate
     * replaces the verdict. Snapshots of aggregates without events, or with a command pending,
     * are not checked.
     */
    void snapshot(Snapshot<S> snapshot) {
        Fold<S> fold = folds.get(snapshot.aggregateId());
        if (fold == null) {
            return;
        }
        fold.snapshotSeen = true;
        if (pendingAggregates.contains(snapshot.aggregateId())) {
            return;
        }
        String aggregateId = Violations.id(snapshot.aggregateId());
        fold.snapshotVersion = HistoryInvariants.snapshotAtLastEvent(aggregateId, snapshot, fold.events, fold.lastVersion)
                .orElse(null);
        fold.snapshotState = fold.replayError != null
                ? HistoryInvariants.cannotReplay(aggregateId, fold.events, fold.replayError)
                : HistoryInvariants.stateIsReplay(aggregateId, fold.events, fold.state, snapshot.state()).orElse(null);
    }

    /**
     * A snapshot written with another state version than this build's. Replaced by a later
     * snapshot of the aggregate it is fine (the rebuild publishes one); as the latest it is a
     * violation: the state a reader finds was never rebuilt.
     */
    void otherStateVersion(String aggregateId, int storedVersion, int currentVersion) {
        Fold<S> fold = folds.get(aggregateId);
        if (fold == null) {
            return;
        }
        fold.snapshotSeen = true;
        if (pendingAggregates.contains(aggregateId)) {
            return;
        }
        fold.snapshotVersion = null;
        fold.snapshotState = "aggregate " + Violations.id(aggregateId) + ": latest snapshot is of state version " + storedVersion
                + " but the current state version is " + currentVersion
                + (storedVersion < currentVersion ? " (not rebuilt)" : " (written by a newer build)");
    }

    /** Adds what the snapshots said, and every aggregate with events but no snapshot. */
    void finish(Violations violations) {
        folds.forEach((aggregateId, fold) -> {
            if (!fold.snapshotSeen && !pendingAggregates.contains(aggregateId)) {
                HistoryInvariants.snapshotAtLastEvent(Violations.id(aggregateId), null, fold.events, fold.lastVersion).ifPresent(violations::add);
                return;
            }
            if (fold.snapshotVersion != null) {
                violations.add(fold.snapshotVersion);
            }
            if (fold.snapshotState != null) {
                violations.add(fold.snapshotState);
            }
        });
    }

    /** How many aggregates are held: one entry each, whatever the number of their events. */
    int aggregates() {
        return folds.size();
    }

    long events() {
        return events;
    }

    /** The state an aggregate's events fold to, for tests. */
    S state(String aggregateId) {
        Fold<S> fold = folds.get(aggregateId);
        return fold == null ? null : fold.state;
    }

    /** All that is kept of one aggregate. */
    private static final class Fold<S> {
        long events;
        long lastVersion;
        S state;
        RuntimeException replayError;
        boolean versionsBroken;
        boolean snapshotSeen;
        String snapshotVersion;
        String snapshotState;

        Fold(S initial) {
            this.state = initial;
        }
    }
}
