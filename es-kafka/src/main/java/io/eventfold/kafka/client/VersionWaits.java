package io.eventfold.kafka.client;

import io.eventfold.core.ErrorText;
import io.eventfold.core.Snapshot;
import io.eventfold.kafka.SnapshotsRebuildingException;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The futures of {@link AggregateStore#awaitVersion}, by aggregate id. The waiters of an aggregate
 * read its snapshot once when they arrive, then again only when told that it {@link #changed}:
 * one read serves every waiter of the aggregate, and a waiter whose aggregate does not change
 * costs nothing but its timeout. While the store cannot be queried (starting, rebalancing,
 * restoring, which signal no change) the aggregate is read again on a timer instead. A change that
 * reaches the store without passing the command processor here (a restore, after the aggregate's
 * partition moved away and back) is not signalled either: an aggregate with waiters is therefore
 * read again when it has not been read for a while ({@code rereadUnsignalled}, seconds).
 */
final class VersionWaits<S> implements AutoCloseable {

    private final Function<String, Snapshot<S>> read;
    private final Duration retryNotQueryable;
    private final Duration rereadUnsignalled;
    private final Map<String, Set<Waiter<S>>> waiters = new ConcurrentHashMap<>();
    /** Aggregates with a read queued and not started yet: a burst of changes costs one read. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** Aggregates with a timed read pending because the store was not queryable. */
    private final Set<String> retrying = ConcurrentHashMap.newKeySet();
    /** Aggregates with an unsignalled re-read pending. */
    private final Set<String> rereading = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor executor;
    private volatile boolean closed;

    /**
     * @param read the current snapshot of an aggregate (its initial state when it has none); throws
     *     {@link InvalidStateStoreException} while the store is not queryable
     * @param retryNotQueryable how soon to read again after an {@link InvalidStateStoreException}
     * @param rereadUnsignalled how soon to read an aggregate with waiters again without a signal
     */
    VersionWaits(Function<String, Snapshot<S>> read, Duration retryNotQueryable, Duration rereadUnsignalled) {
        this.read = read;
        this.retryNotQueryable = retryNotQueryable;
        this.rereadUnsignalled = rereadUnsignalled;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "eventfold-aggregate-store");
            thread.setDaemon(true);
            return thread;
        });
        this.executor.setRemoveOnCancelPolicy(true);
    }

    private static final class Waiter<S> {
        final String aggregateId;
        final long minVersion;
        final CompletableFuture<Snapshot<S>> future = new CompletableFuture<>();
        /** The version the last read found, -1 before any read succeeded; for the timeout's message. */
        volatile long lastSeen = -1;

        Waiter(String aggregateId, long minVersion) {
            this.aggregateId = aggregateId;
            this.minVersion = minVersion;
        }
    }

    CompletableFuture<Snapshot<S>> await(String aggregateId, long minVersion, Duration timeout) {
        Waiter<S> waiter = new Waiter<>(aggregateId, minVersion);
        waiters.compute(aggregateId, (id, group) -> {
            Set<Waiter<S>> joined = group == null ? ConcurrentHashMap.newKeySet() : group;
            joined.add(waiter);
            return joined;
        });
        ScheduledFuture<?> expiry;
        try {
            expiry = executor.schedule(() -> waiter.future.completeExceptionally(timedOut(waiter, timeout)),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shutDown) {
            remove(waiter);
            return CompletableFuture.failedFuture(new IllegalStateException("the aggregate store is closed", shutDown));
        }
        waiter.future.whenComplete((snapshot, error) -> {
            remove(waiter);
            expiry.cancel(false);
        });
        queueRead(aggregateId);
        // close() may have run between the check of the executor and the registration above.
        if (closed) {
            waiter.future.completeExceptionally(new IllegalStateException("the aggregate store was closed"));
        }
        return waiter.future;
    }

    /** Called on a stream thread when an aggregate got a new snapshot: only queues a read, and only if someone waits. */
    void changed(String aggregateId) {
        if (waiters.containsKey(aggregateId)) {
            queueRead(aggregateId);
        }
    }

    int waiting() {
        return waiters.values().stream().mapToInt(Set::size).sum();
    }

    private void queueRead(String aggregateId) {
        if (!queued.add(aggregateId)) {
            return;
        }
        try {
            executor.execute(() -> {
                // Removed before the read: a change during the read queues the next one.
                queued.remove(aggregateId);
                readFor(aggregateId);
            });
        } catch (RejectedExecutionException shutDown) {
            queued.remove(aggregateId);
        }
    }

    private void readFor(String aggregateId) {
        Set<Waiter<S>> group = waiters.get(aggregateId);
        if (group == null || group.isEmpty()) {
            return;
        }
        Snapshot<S> snapshot;
        try {
            snapshot = read.apply(aggregateId);
        } catch (InvalidStateStoreException | SnapshotsRebuildingException notReadableYet) {
            retryLater(aggregateId);
            return;
        } catch (RuntimeException e) {
            // Another instance owns the aggregate, or its snapshot cannot be read: waiting longer changes nothing.
            group.forEach(waiter -> waiter.future.completeExceptionally(e));
            return;
        }
        for (Waiter<S> waiter : group) {
            waiter.lastSeen = snapshot.version();
            if (snapshot.version() >= waiter.minVersion) {
                waiter.future.complete(snapshot);
            }
        }
        if (waiters.containsKey(aggregateId)) {
            later(rereading, aggregateId, rereadUnsignalled);
        }
    }

    private void retryLater(String aggregateId) {
        later(retrying, aggregateId, retryNotQueryable);
    }

    /** Queues a read of the aggregate after the delay, unless one is pending in {@code pending} already. */
    private void later(Set<String> pending, String aggregateId, Duration delay) {
        if (!pending.add(aggregateId)) {
            return;
        }
        try {
            executor.schedule(() -> {
                pending.remove(aggregateId);
                queueRead(aggregateId);
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shutDown) {
            pending.remove(aggregateId);
        }
    }

    private void remove(Waiter<S> waiter) {
        waiters.computeIfPresent(waiter.aggregateId, (id, group) -> {
            group.remove(waiter);
            return group.isEmpty() ? null : group;
        });
    }

    private static TimeoutException timedOut(Waiter<?> waiter, Duration timeout) {
        long seen = waiter.lastSeen;
        return new TimeoutException("aggregate " + ErrorText.bounded(waiter.aggregateId) + " did not reach version " + waiter.minVersion
                + " within " + timeout.toMillis() + " ms: " + (seen < 0
                ? "its store could not be queried meanwhile"
                : "the last version seen was " + seen));
    }

    /** Fails every waiting future, and every later one. */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        IllegalStateException closedError = new IllegalStateException("the aggregate store was closed");
        waiters.values().forEach(group -> group.forEach(waiter -> waiter.future.completeExceptionally(closedError)));
    }
}
