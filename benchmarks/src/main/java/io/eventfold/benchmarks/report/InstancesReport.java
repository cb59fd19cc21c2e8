package io.eventfold.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes a several-instances run to {@code <dir>/<date>-instances.json} and {@code .md}, and
 * replaces its block of the docs page ({@link #BLOCK}).
 *
 * <pre>{@code
 * InstancesReport.write(result, Path.of("benchmarks", "results"), Path.of("docs", "benchmarks.md"));
 * }</pre>
 */
public final class InstancesReport {

    /** The several-instances run's block of {@code docs/benchmarks.md}. */
    public static final DocsBlock BLOCK = new DocsBlock("<!-- instances:start -->", "<!-- instances:end -->",
            "Several instances");

    private InstancesReport() {
    }

    /**
     * Writes the files of a several-instances run.
     *
     * @param result the run
     * @param resultsDir e.g. {@code benchmarks/results}
     * @param docsPage e.g. {@code docs/benchmarks.md}; skipped when it does not exist
     * @return the JSON file written
     * @throws IOException if a file cannot be written
     */
    public static Path write(InstancesResult result, Path resultsDir, Path docsPage) throws IOException {
        return BLOCK.writeRun(result, render(result), resultsDir, result.date() + "-instances",
                "Several instances " + result.date(), docsPage);
    }

    /**
     * Renders a several-instances run: what ran, then one row per instance count.
     *
     * @param r the run
     * @return Markdown text
     */
    public static String render(InstancesResult r) {
        StringBuilder md = new StringBuilder();
        md.append(fmt("Run of %s on %s: `%s`.%n%n", r.startedAt(), r.machine(), r.command()));
        String counts = r.passes().stream().map(p -> Integer.toString(p.instances())).collect(Collectors.joining(", "));
        md.append(fmt("A broker in its own JVM and, in turn, %s instances of the invoice application, each in a JVM "
                        + "of its own with its own state directory, under `exactly_once_v2` with the end-to-end pass's streams "
                        + "settings (one stream thread, one standby replica), on fresh topics of %d partitions each pass. Once "
                        + "every instance was RUNNING with its share of the tasks, one `CommandGateway` in the benchmark's JVM "
                        + "sent %,d warm-up commands, then the measured ones (invoices created, then given line items, "
                        + "round-robin over %,d invoices), at most %,d in flight; latency is from send to result.%n%n",
                counts, r.partitions(), r.warmupCommands(), r.aggregates(), r.maxInFlight()));
        md.append("| instances | commands/s | p50 ms | p99 ms | vs 1 instance |\n");
        md.append("|---:|---:|---:|---:|---:|\n");
        double one = r.passes().stream().filter(p -> p.instances() == 1).mapToDouble(InstancesPass::commandsPerSecond)
                .findFirst().orElse(Double.NaN);
        for (InstancesPass p : r.passes()) {
            md.append(fmt("| %d | %,.0f | %.1f | %.1f | %s |%n", p.instances(), p.commandsPerSecond(), p.latency().p50Ms(),
                    p.latency().p99Ms(), Double.isNaN(one) ? "–" : fmt("%.2f ×", p.commandsPerSecond() / one)));
        }
        md.append('\n');
        for (InstancesPass p : r.passes()) {
            md.append(fmt("- %d instance%s: %,d commands in %.1f s, %,d accepted, %d failed; tasks active %s, standby %s; "
                            + "stable %.1f s after the first instance started; load average %.2f before, %.2f after%s.%n", p.instances(), p.instances() == 1 ? "" : "s",
                    p.commands(), p.seconds(), p.accepted(), p.failures(), tasks(p.activeTasks()), tasks(p.standbyTasks()),
                    p.secondsToStable(), p.loadBefore(), p.loadAfter(), p.unchanged() ? "" : "; **the group changed while it was measured**"));
        }
        return md.toString();
    }

    private static String tasks(int[] perInstance) {
        return Arrays.stream(perInstance).mapToObj(Integer::toString).collect(Collectors.joining(" + "));
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
