package io.eventfold.kafka.client;

import io.eventfold.core.CommandResult;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The futures of commands waiting for their result. Every way a future can complete (result,
 * timeout, send error, close, or the caller cancelling it) removes its entry, so the map holds
 * only commands still in flight.
 */
final class PendingCommands<E, S> {

    private final Duration timeout;
    private final Map<String, Entry<E, S>> entries = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private volatile String closedReason;

    public PendingCommands(Duration timeout) {
        this.timeout = timeout;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "eventfold-gateway-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /** A future, and whether this call created it or joined one already waiting for the same command id. */
    public record Registration<E, S>(CompletableFuture<CommandResult<E, S>> future, boolean isNew) {
    }

    private record Entry<E, S>(CompletableFuture<CommandResult<E, S>> future, String aggregateId) {
    }

    public Registration<E, S> register(String commandId, String aggregateId) {
        if (closedReason != null) {
            return new Registration<>(CompletableFuture.failedFuture(new IllegalStateException(closedReason)), false);
        }
        Entry<E, S> created = new Entry<>(new CompletableFuture<>(), aggregateId);
        Entry<E, S> existing = entries.putIfAbsent(commandId, created);
        if (existing != null) {
            return new Registration<>(existing.future(), false);
        }
        ScheduledFuture<?> expiry;
        try {
            expiry = timer.schedule(() -> created.future().completeExceptionally(
                    new CommandTimeoutException(commandId, aggregateId, timeout)), timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
            entries.remove(commandId, created);
            return new Registration<>(CompletableFuture.failedFuture(new IllegalStateException(
                    closedReason == null ? "the gateway is closed" : closedReason)), false);
        }
        created.future().whenComplete((result, error) -> {
            entries.remove(commandId, created);
            expiry.cancel(false);
        });
        return new Registration<>(created.future(), true);
    }

    public boolean isWaitingFor(String commandId) {
        return entries.containsKey(commandId);
    }

    public void complete(String commandId, CommandResult<E, S> result) {
        Entry<E, S> entry = entries.get(commandId);
        if (entry != null) {
            entry.future().complete(result);
        }
    }

    public void fail(String commandId, Throwable error) {
        Entry<E, S> entry = entries.get(commandId);
        if (entry != null) {
            entry.future().completeExceptionally(error);
        }
    }

    public int size() {
        return entries.size();
    }

    /** Fails every waiting command, and every later one, with this reason. */
    public void close(String reason) {
        close(new IllegalStateException(reason));
    }

    public void close(IllegalStateException reason) {
        closedReason = reason.getMessage();
        entries.values().forEach(entry -> entry.future().completeExceptionally(reason));
        timer.shutdownNow();
    }
}
