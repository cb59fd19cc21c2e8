package io.eventfold.kafka;

import io.eventfold.core.ErrorText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRebuilds.class);
    private static final Map<String, SnapshotRebuilds> REGISTRY = new ConcurrentHashMap<>();

    private final Map<Integer, RebuildStatus> statuses = new ConcurrentHashMap<>();
    private final List<Consumer<RebuildStatus>> listeners = new CopyOnWriteArrayList<>();

    private SnapshotRebuilds() {
    }

    /**
     * The rebuilds of a type in an application.
     *
     * @param applicationId the Kafka Streams {@code application.id}
     * @param type the aggregate type
     * @return the one instance of this JVM for both
     */
    public static SnapshotRebuilds of(String applicationId, AggregateType<?, ?, ?> type) {
        Objects.requireNonNull(applicationId, "applicationId must not be null");
        Objects.requireNonNull(type, "type must not be null");
        return REGISTRY.computeIfAbsent(applicationId + "\u0000" + type.name(), key -> new SnapshotRebuilds());
    }

    /**
     * The latest status of each partition run here, by partition.
     *
     * @return a copy
     */
    public List<RebuildStatus> statuses() {
        List<RebuildStatus> copy = new ArrayList<>(statuses.values());
        copy.sort(Comparator.comparingInt(RebuildStatus::partition));
        return copy;
    }

    /**
     * Whether every partition run here has current snapshots.
     *
     * @return true when all are CURRENT (also when none runs here)
     */
    public boolean allCurrent() {
        return statuses.values().stream().allMatch(status -> status.phase() == RebuildStatus.Phase.CURRENT);
    }

    /**
     * Calls a listener with every status reported from now on: each phase change, and progress at
     * most once a second per partition. It runs on a stream thread: return at once.
     *
     * @param listener gets the status
     * @return what stops the calls
     */
    public Runnable subscribe(Consumer<RebuildStatus> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        return () -> listeners.remove(listener);
    }

    /**
     * Records a partition's status; called by the command processor.
     *
     * @param status the new status
     */
    public void report(RebuildStatus status) {
        statuses.put(status.partition(), status);
        for (Consumer<RebuildStatus> listener : listeners) {
            try {
                listener.accept(status);
            } catch (RuntimeException e) {
                // A listener's bug must not stop the stream thread that handles commands.
                LOG.warn("a listener of the snapshot rebuilds of {} failed", ErrorText.bounded(status.type()), e);
            }
        }
    }

    /**
     * Forgets a partition whose task left this instance; called by the command processor.
     *
     * @param partition the partition
     */
    public void removed(int partition) {
        statuses.remove(partition);
    }
}
