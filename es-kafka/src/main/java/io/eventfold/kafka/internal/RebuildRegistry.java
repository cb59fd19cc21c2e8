package io.eventfold.kafka.internal;

import io.eventfold.core.ErrorText;
import io.eventfold.kafka.RebuildStatus;
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
 * The statuses of one aggregate type's snapshot rebuilds in one application, as this JVM's
 * command processors report them; read through the public {@code SnapshotRebuilds}, written only
 * from here.
 */
public final class RebuildRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(RebuildRegistry.class);
    private static final Map<String, RebuildRegistry> REGISTRY = new ConcurrentHashMap<>();

    private final Map<Integer, RebuildStatus> statuses = new ConcurrentHashMap<>();
    private final List<Consumer<RebuildStatus>> listeners = new CopyOnWriteArrayList<>();

    private RebuildRegistry() {
    }

    /** The one registry of this JVM for an application and a type name. */
    public static RebuildRegistry of(String applicationId, String typeName) {
        Objects.requireNonNull(applicationId, "applicationId must not be null");
        Objects.requireNonNull(typeName, "typeName must not be null");
        return REGISTRY.computeIfAbsent(applicationId + "\u0000" + typeName, key -> new RebuildRegistry());
    }

    /** The latest status of each partition run here, by partition. */
    public List<RebuildStatus> statuses() {
        List<RebuildStatus> copy = new ArrayList<>(statuses.values());
        copy.sort(Comparator.comparingInt(RebuildStatus::partition));
        return copy;
    }

    /** Calls the listener with every status reported from now on; the result stops the calls. */
    public Runnable subscribe(Consumer<RebuildStatus> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        return () -> listeners.remove(listener);
    }

    /** Records a partition's status and tells the listeners. */
    void report(RebuildStatus status) {
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

    /** Forgets a partition whose task left this instance. */
    void removed(int partition) {
        statuses.remove(partition);
    }
}
