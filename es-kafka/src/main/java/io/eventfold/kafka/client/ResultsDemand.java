package io.eventfold.kafka.client;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Whether the gateway must read the command-results topic, and since when. With reply routing,
 * only commands sent without a reply address (the gateway owned no reply partition then) are
 * answered there alone; the results listener reads the topic while such commands wait and not
 * otherwise. Each time it starts again it starts from the end, and a command waits for that
 * start before it is sent, so its result is ahead of the listener.
 *
 * <p>Without reply routing the demand is permanent: the topic is read all the time, as it always was.
 */
final class ResultsDemand {

    private final boolean permanent;
    private final Set<PendingCommands.CommandKey> waiting = new HashSet<>();
    private boolean reading;
    private CompletableFuture<Void> started = new CompletableFuture<>();
    private boolean closed;

    private ResultsDemand(boolean permanent) {
        this.permanent = permanent;
    }

    /** The topic is read all the time. */
    static ResultsDemand permanent() {
        return new ResultsDemand(true);
    }

    /** The topic is read while commands sent without a reply address wait. */
    static ResultsDemand onDemand() {
        return new ResultsDemand(false);
    }

    boolean isPermanent() {
        return permanent;
    }

    /**
     * A command that will be answered only on the command-results topic.
     *
     * @return completes once the listener reads the topic from a position before the command's result
     */
    synchronized CompletableFuture<Void> require(PendingCommands.CommandKey command) {
        waiting.add(command);
        notifyAll();
        return reading ? CompletableFuture.completedFuture(null) : started;
    }

    /** The command is answered or given up on. */
    synchronized void release(PendingCommands.CommandKey command) {
        waiting.remove(command);
    }

    /**
     * For the listener: waits until the topic is to be read, at most this long.
     *
     * @return false when it is not to be read (the listener then stops reading and starts over later)
     */
    synchronized boolean awaitWanted(long millis) throws InterruptedException {
        if (permanent) {
            return true;
        }
        if (waiting.isEmpty() && !closed) {
            reading = false;
            wait(millis);
        }
        return !waiting.isEmpty() && !closed;
    }

    /** For the listener: whether it must place itself at the end of the topic before reading. */
    synchronized boolean mustStart() {
        return !permanent && !reading;
    }

    /** For the listener: it now reads from a position fixed after every waiting command's start was asked for. */
    synchronized void startedReading() {
        reading = true;
        started.complete(null);
        started = new CompletableFuture<>();
    }

    /** Wakes the listener up to close; a command waiting for it to start reading waits no more. */
    synchronized void close() {
        closed = true;
        started.completeExceptionally(new IllegalStateException("the gateway is closed"));
        notifyAll();
    }
}
