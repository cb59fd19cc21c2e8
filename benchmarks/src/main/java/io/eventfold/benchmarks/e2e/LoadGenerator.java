package io.eventfold.benchmarks.e2e;

import io.eventfold.benchmarks.report.Latency;
import io.eventfold.benchmarks.workload.InvoiceWorkload;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Sends a workload through a {@link CommandClient} with at most {@code maxInFlight} commands
 * awaiting their result, at full speed or at a fixed rate, and records each command's latency.
 *
 * <p>At a fixed rate, latency is measured from the time the command was due to be sent, not from
 * when it was sent: a stall then counts against every command it delayed (no coordinated omission).
 */
final class LoadGenerator {

    private final int maxInFlight;
    private final Duration timeout;

    LoadGenerator(int maxInFlight, Duration timeout) {
        this.maxInFlight = maxInFlight;
        this.timeout = timeout;
    }

    /** What one run measured. */
    record Run(int commands, double seconds, Latency latency, long failures, long accepted) {

        double commandsPerSecond() {
            return commands / seconds;
        }
    }

    /**
     * Sends every command of the workload.
     *
     * @param ratePerSecond the target rate, or 0 for as fast as the in-flight bound allows
     */
    Run run(CommandClient client, InvoiceWorkload workload, double ratePerSecond) throws InterruptedException {
        return run(client, workload.size(), workload::command, ratePerSecond);
    }

    /**
     * Sends {@code size} commands, the {@code i}-th being {@code commands.apply(i)}, asked for in
     * order just before it is sent: one schedule over any number of workloads in sequence.
     *
     * @param ratePerSecond the target rate, or 0 for as fast as the in-flight bound allows
     */
    Run run(CommandClient client, int size, IntFunction<Command<InvoiceCommand>> commands, double ratePerSecond)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(maxInFlight);
        Histogram latencies = new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(5), 3);
        AtomicLong failures = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        CountDownLatch done = new CountDownLatch(size);
        long start = System.nanoTime();
        double intervalNanos = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        for (int i = 0; i < size; i++) {
            long due = start + (long) (i * intervalNanos);
            if (ratePerSecond > 0) {
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            inFlight.acquire();
            long sentAt = ratePerSecond > 0 ? due : System.nanoTime();
            client.send(commands.apply(i)).whenComplete((result, error) -> {
                latencies.recordValue(Math.min(System.nanoTime() - sentAt, latencies.getHighestTrackableValue()));
                if (error != null) {
                    failures.incrementAndGet();
                } else if (result.kind() == CommandResult.Kind.ACCEPTED) {
                    accepted.incrementAndGet();
                }
                inFlight.release();
                done.countDown();
            });
        }
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            failures.addAndGet(done.getCount());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(size, seconds, Latency.of(latencies), failures.get(), accepted.get());
    }
}
