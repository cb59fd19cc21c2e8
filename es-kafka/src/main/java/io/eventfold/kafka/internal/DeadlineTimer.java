package io.eventfold.kafka.internal;

import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Fires a partition's due deadlines from a wall-clock punctuator, and keeps that punctuator no
 * busier than the deadlines need: armed only while a deadline waits, at most every tick, and at
 * most a minute apart when the earliest deadline is further away. Every punctuation makes the
 * task commit, so an idle punctuator would cost a transaction per tick for nothing.
 *
 * <p>A deadline is deleted from the store in the punctuation that sends its command, so under
 * {@code exactly_once_v2} both commit together: after a crash either both happened or neither, and
 * the command fires once. A deadline due while the application was down fires at the first
 * punctuation after it is back. Nothing fires while {@code mayFire} says no (the partition rebuilds
 * its snapshots and would refuse the command): the deadline waits.
 */
final class DeadlineTimer {

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineTimer.class);
    /** The longest wait between punctuations while a deadline waits: a clock step forward is noticed within it. */
    private static final long LONGEST_WAIT_MS = Duration.ofMinutes(1).toMillis();
    /** How often a partition whose snapshots are not current looks again whether it may fire. */
    private static final long HELD_BACK_WAIT_MS = Duration.ofSeconds(5).toMillis();
    /** The most deadlines one punctuation fires, so its transaction stays small; the rest fire a tick later. */
    static final int MAX_PER_TICK = 10_000;

    private final ProcessorContext<?, ?> context;
    private final DeadlineStore store;
    private final long tickMs;
    private final BooleanSupplier mayFire;
    private final Consumer<DeadlineStore.Due> send;
    private final String owner;

    private Cancellable punctuator;
    /** When the armed punctuator fires next (wall-clock ms), or Long.MAX_VALUE when none is armed. */
    private long nextWakeMs = Long.MAX_VALUE;

    DeadlineTimer(ProcessorContext<?, ?> context, DeadlineStore store, Duration tick, BooleanSupplier mayFire,
                  Consumer<DeadlineStore.Due> send, String owner) {
        this.context = context;
        this.store = store;
        this.tickMs = Math.max(1, tick.toMillis());
        this.mayFire = mayFire;
        this.send = send;
        this.owner = owner;
    }

    /** Arms the punctuator for the deadlines the store holds after a restore. */
    void init() {
        store.earliest().ifPresent(due -> wakeBy(due, context.currentSystemTimeMs()));
    }

    /** Makes sure a punctuation comes soon after {@code dueMs}, for a deadline just scheduled. */
    void wakeBy(long dueMs, long nowMs) {
        if (punctuator != null && nextWakeMs <= Math.max(dueMs, nowMs + tickMs)) {
            return;
        }
        arm(nowMs, dueMs - nowMs);
    }

    /** The punctuation: fires what is due, then waits for the next. */
    void fire(long nowMs) {
        int fired = 0;
        if (mayFire.getAsBoolean()) {
            List<DeadlineStore.Due> due = store.dueBy(nowMs, MAX_PER_TICK);
            for (DeadlineStore.Due deadline : due) {
                send.accept(deadline);
                store.fired(deadline);
            }
            fired = due.size();
            if (fired > 0) {
                LOG.debug("{}: fired {} deadline(s) due by {}", owner, fired, nowMs);
            }
        }
        OptionalLong earliest = store.earliest();
        if (earliest.isEmpty()) {
            disarm();
        } else {
            // Held back (snapshots not current): look again every few seconds, not every tick, as a
            // partition whose rebuild failed may wait for a person for long.
            arm(nowMs, fired == MAX_PER_TICK ? tickMs : !mayFire.getAsBoolean() ? HELD_BACK_WAIT_MS : earliest.getAsLong() - nowMs);
        }
    }

    private void arm(long nowMs, long waitMs) {
        long wait = Math.max(tickMs, Math.min(LONGEST_WAIT_MS, waitMs));
        disarm();
        punctuator = context.schedule(Duration.ofMillis(wait), PunctuationType.WALL_CLOCK_TIME, this::fire);
        nextWakeMs = nowMs + wait;
    }

    private void disarm() {
        if (punctuator != null) {
            punctuator.cancel();
            punctuator = null;
        }
        nextWakeMs = Long.MAX_VALUE;
    }
}
