package io.eventfold.benchmarks.e2e;

import io.eventfold.benchmarks.report.Latency;
import io.eventfold.benchmarks.workload.InvoiceWorkload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The three runs of every end-to-end pass, whatever answers the commands: a warm-up, the workload
 * at full speed, then half as many commands (at most {@code halfRateSeconds} worth) at half the
 * measured rate, each run on invoices of its own ({@code <name>-w}, {@code -m}, {@code -h}).
 *
 * <pre>{@code
 * LoadSchedule.Runs runs = new LoadSchedule(settings).run(client, "pekko-1");
 * runs.commandsPerSecond();   // the full-speed rate
 * }</pre>
 */
public final class LoadSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(LoadSchedule.class);
    /** The longest one run may wait for its last result; later ones count as failures. */
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final EndToEndBenchmark.Settings settings;

    /**
     * A schedule with the end-to-end settings.
     *
     * @param settings invoices, commands, warm-up, in-flight bound and the half-rate run's limit
     */
    public LoadSchedule(EndToEndBenchmark.Settings settings) {
        this.settings = settings;
    }

    /**
     * What the runs of one pass measured.
     *
     * @param commands commands of the full-speed run
     * @param commandsPerSecond the full-speed run's rate: commands over the time until the last result
     * @param latency result latency of the full-speed run
     * @param halfRateCommands commands of the rate-limited run
     * @param halfRate its target rate, half of {@code commandsPerSecond}
     * @param halfRateLatency its result latency, from each command's scheduled send time
     * @param failures commands that timed out or failed, in both measured runs
     * @param commandsSent every command of the three runs, warm-up included
     */
    public record Runs(int commands, double commandsPerSecond, Latency latency, int halfRateCommands, double halfRate,
                       Latency halfRateLatency, long failures, long commandsSent) {
    }

    /**
     * Sends the warm-up, the full-speed run and the half-rate run through one client.
     *
     * @param client where the commands go
     * @param name the pass's name: logged, and the prefix of every invoice id
     * @return what the runs measured
     * @throws InterruptedException if interrupted
     */
    public Runs run(CommandClient client, String name) throws InterruptedException {
        LoadGenerator generator = new LoadGenerator(settings.maxInFlight(), TIMEOUT);
        LoadGenerator.Run warmup = generator.run(client, InvoiceWorkload.ofCommands(name + "-w",
                Math.min(1000, settings.aggregates()), settings.warmupCommands()), 0);
        LoadGenerator.Run full = generator.run(client,
                InvoiceWorkload.ofCommands(name + "-m", settings.aggregates(), settings.commands()), 0);
        LOG.info("{}: {} commands/s at full speed, latency {}", name, Math.round(full.commandsPerSecond()), full.latency());
        double halfRate = full.commandsPerSecond() / 2;
        long halfRateCommands = Math.min(full.commands() / 2, Math.round(halfRate * settings.halfRateSeconds()));
        int halfAggregates = (int) Math.min(settings.aggregates(), halfRateCommands);
        LoadGenerator.Run half = generator.run(client,
                InvoiceWorkload.ofCommands(name + "-h", halfAggregates, (int) halfRateCommands), halfRate);
        LOG.info("{}: at {} commands/s, latency {}", name, Math.round(halfRate), half.latency());
        return new Runs(full.commands(), full.commandsPerSecond(), full.latency(), half.commands(), halfRate,
                half.latency(), full.failures() + half.failures(), (long) warmup.commands() + full.commands() + half.commands());
    }
}
