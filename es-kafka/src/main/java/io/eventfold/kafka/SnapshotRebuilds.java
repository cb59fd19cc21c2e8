package io.eventfold.kafka;

import io.eventfold.kafka.internal.RebuildRegistry;


import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The snapshot rebuilds of one aggregate type in one application, as this JVM's stream threads
 * report them: one {@link RebuildStatus} per partition whose task runs here.
 *
 * <pre>{@code
 * SnapshotRebuilds rebuilds = SnapshotRebuilds.of("billing", invoices);
 * boolean ready = rebuilds.allCurrent();
 * rebuilds.subscribe(status -> System.out.println(status.partition() + " " + status.phase() + " " + status.percent() + "%"));
 * }</pre>
 *
 * <p>A partition appears once its task has started and disappears when the task leaves this
 * instance (rebalance, shutdown).
 */
public final class SnapshotRebuilds {

    private final RebuildRegistry registry;

    private SnapshotRebuilds(RebuildRegistry registry) {
        this.registry = registry;
    }

    /**
     * The rebuilds of a type in an application.
     *
     * @param applicationId the Kafka Streams {@code application.id}
     * @param type the aggregate type
     * @return a view of this JVM's statuses for both
     */
    public static SnapshotRebuilds of(String applicationId, AggregateType<?, ?, ?> type) {
        Objects.requireNonNull(type, "type must not be null");
        return new SnapshotRebuilds(RebuildRegistry.of(applicationId, type.name()));
    }

    /**
     * The latest status of each partition run here, by partition.
     *
     * @return a copy
     */
    public List<RebuildStatus> statuses() {
        return registry.statuses();
    }

    /**
     * Whether every partition run here has current snapshots.
     *
     * @return true when all are CURRENT (also when none runs here)
     */
    public boolean allCurrent() {
        return statuses().stream().allMatch(status -> status.phase() == RebuildStatus.Phase.CURRENT);
    }

    /**
     * Calls a listener with every status reported from now on: each phase change, and progress at
     * most once a second per partition. It runs on a stream thread: return at once.
     *
     * @param listener gets the status
     * @return what stops the calls
     */
    public Runnable subscribe(Consumer<RebuildStatus> listener) {
        return registry.subscribe(listener);
    }
}
