package io.eventfold.kafka.client;

import io.eventfold.core.CommandResult;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The futures of commands waiting for their result, by aggregate id and command id: the pair the
 * topology deduplicates on, so one command id sent for two aggregates is two commands here too.
 * Every way a future can complete (result, timeout, send error, close, or the caller cancelling
 * it) removes its entry, so the map holds only commands still in flight. Results complete their
 * futures on the completion executor, so a slow callback of one caller delays no other result.
 */
final class PendingCommands<E, S> {

    private final Duration timeout;
    private final Executor completions;
    private final Map<CommandKey, CompletableFuture<CommandResult<E, S>>> entries = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private volatile String closedReason;

    PendingCommands(Duration timeout, Executor completions) {
        this.timeout = timeout;
        this.completions = completions;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "eventfold-gateway-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /** A command as the topology tells commands apart. */
    record CommandKey(String aggregateId, String commandId) {
    }

    /** A future, and whether this call created it or joined one already waiting for the same command. */
    record Registration<E, S>(CompletableFuture<CommandResult<E, S>> future, boolean isNew) {
    }

    Registration<E, S> register(String aggregateId, String commandId) {
        if (closedReason != null) {
            return new Registration<>(CompletableFuture.failedFuture(new IllegalStateException(closedReason)), false);
        }
        CommandKey key = new CommandKey(aggregateId, commandId);
        CompletableFuture<CommandResult<E, S>> created = new CompletableFuture<>();
        CompletableFuture<CommandResult<E, S>> existing = entries.putIfAbsent(key, created);
        if (existing != null) {
            return new Registration<>(existing, false);
        }
        ScheduledFuture<?> expiry;
        try {
            expiry = timer.schedule(() -> created.completeExceptionally(
                    new CommandTimeoutException(commandId, aggregateId, timeout)), timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closedMeanwhile) {
            entries.remove(key, created);
            return new Registration<>(CompletableFuture.failedFuture(new IllegalStateException(
                    closedReason == null ? "the gateway is closed" : closedReason)), false);
        }
        created.whenComplete((result, error) -> {
            entries.remove(key, created);
            expiry.cancel(false);
        });
        // close() may have failed every entry between the check above and putIfAbsent, and its
        // timer shutdown may cancel the expiry just scheduled: complete this one too.
        String closed = closedReason;
        if (closed != null) {
            created.completeExceptionally(new IllegalStateException(closed));
        }
        return new Registration<>(created, true);
    }

    boolean isWaitingFor(String aggregateId, String commandId) {
        return entries.containsKey(new CommandKey(aggregateId, commandId));
    }

    void complete(String aggregateId, String commandId, CommandResult<E, S> result) {
        CompletableFuture<CommandResult<E, S>> future = entries.get(new CommandKey(aggregateId, commandId));
        if (future != null) {
            try {
                completions.execute(() -> future.complete(result));
            } catch (RejectedExecutionException shutDown) {
                future.complete(result);
            }
        }
    }

    void fail(String aggregateId, String commandId, Throwable error) {
        CompletableFuture<CommandResult<E, S>> future = entries.get(new CommandKey(aggregateId, commandId));
        if (future != null) {
            future.completeExceptionally(error);
        }
    }

    int size() {
        return entries.size();
    }

    /** Fails every waiting command, and every later one, with this reason. */
    void close(String reason) {
        close(new IllegalStateException(reason));
    }

    void close(IllegalStateException reason) {
        closedReason = reason.getMessage();
        entries.values().forEach(future -> future.completeExceptionally(reason));
        timer.shutdownNow();
    }
}
