package io.eventfold.kafka.client;

import io.eventfold.core.CommandResult;
import io.eventfold.kafka.SnapshotsRebuildingException;

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
 *
 * <p>A command with a resend registered is not completed by a {@code Failed} result of
 * {@link SnapshotsRebuildingException} (its partition is rebuilding its snapshots): it is sent
 * again with the same command id after 100 ms, doubling to at most 1 s, until another result or
 * its timeout.
 */
final class PendingCommands<E, S> {

    private final Duration timeout;
    private final Executor completions;
    private final Map<CommandKey, CompletableFuture<CommandResult<E, S>>> entries = new ConcurrentHashMap<>();
    private final Map<CommandKey, Resend> resends = new ConcurrentHashMap<>();
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

    static final long FIRST_RESEND_MS = 100;
    static final long MAX_RESEND_MS = 1000;

    /** How to send a command again, and how often it was. */
    private static final class Resend {
        final Runnable send;
        int attempts;

        Resend(Runnable send) {
            this.send = send;
        }

        long nextDelayMs() {
            long delay = Math.min(MAX_RESEND_MS, FIRST_RESEND_MS << Math.min(attempts, 10));
            attempts++;
            return delay;
        }
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
            expiry = timer.schedule(() -> completeExceptionally(key, created,
                    new CommandTimeoutException(commandId, aggregateId, timeout)), timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closedMeanwhile) {
            entries.remove(key, created);
            return new Registration<>(CompletableFuture.failedFuture(new IllegalStateException(
                    closedReason == null ? "the gateway is closed" : closedReason)), false);
        }
        created.whenComplete((result, error) -> {
            entries.remove(key, created);
            resends.remove(key);
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

    /**
     * Lets a command be sent again while its partition rebuilds its snapshots; call right after a
     * new {@link #register}.
     */
    void resendWhileRebuilding(String aggregateId, String commandId, Runnable send) {
        CommandKey key = new CommandKey(aggregateId, commandId);
        if (entries.containsKey(key)) {
            resends.put(key, new Resend(send));
            if (!entries.containsKey(key)) {
                // Completed in between: its clean-up may have run before the put.
                resends.remove(key);
            }
        }
    }

    void complete(String aggregateId, String commandId, CommandResult<E, S> result) {
        CommandKey key = new CommandKey(aggregateId, commandId);
        CompletableFuture<CommandResult<E, S>> future = entries.get(key);
        if (future != null && resent(key, result)) {
            return;
        }
        if (future != null) {
            try {
                completions.execute(() -> complete(key, future, result));
            } catch (RejectedExecutionException shutDown) {
                complete(key, future, result);
            }
        }
    }

    /**
     * Forgets the command, then completes its future: a caller woken by the future (its dependents
     * run last registered first, and a waiting {@code join} is one of them) no longer counts it as
     * pending. The clean-up registered on the future stays for the caller's own cancel.
     */
    private void complete(CommandKey key, CompletableFuture<CommandResult<E, S>> future, CommandResult<E, S> result) {
        entries.remove(key, future);
        future.complete(result);
    }

    private void completeExceptionally(CommandKey key, CompletableFuture<CommandResult<E, S>> future, Throwable error) {
        entries.remove(key, future);
        future.completeExceptionally(error);
    }

    /** Schedules the resend of a command its partition refused while rebuilding; false when it is not to be resent. */
    private boolean resent(CommandKey key, CommandResult<E, S> result) {
        Resend resend = resends.get(key);
        if (resend == null || !(result instanceof CommandResult.Failed<E, S> failed)
                || !SnapshotsRebuildingException.isRebuilding(failed.errorType())) {
            return false;
        }
        try {
            timer.schedule(() -> {
                if (entries.containsKey(key)) {
                    // Not on the timer thread: a send can block on metadata, and the timer fires every expiry.
                    CompletableFuture.runAsync(resend.send);
                }
            }, resend.nextDelayMs(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException closed) {
            return false;
        }
    }

    void fail(String aggregateId, String commandId, Throwable error) {
        CommandKey key = new CommandKey(aggregateId, commandId);
        CompletableFuture<CommandResult<E, S>> future = entries.get(key);
        if (future != null) {
            completeExceptionally(key, future, error);
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
