package io.eventfold.benchmarks.report;


import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a rebuild run to {@code <dir>/<date>-rebuild.json} and {@code .md}, and replaces its
 * block of the docs page ({@link #BLOCK}).
 */
public final class RebuildReport {

    /** The rebuild run's block of {@code docs/benchmarks.md}. */
    public static final DocsBlock BLOCK = new DocsBlock("<!-- rebuild:start -->", "<!-- rebuild:end -->", "Snapshot rebuild");

    private RebuildReport() {
    }

    /**
     * Writes the files of a rebuild run.
     *
     * @param result the run
     * @param resultsDir e.g. {@code benchmarks/results}
     * @param docsPage e.g. {@code docs/benchmarks.md}; skipped when it does not exist
     * @return the JSON file written
     * @throws IOException if a file cannot be written
     */
    public static Path write(RebuildResult result, Path resultsDir, Path docsPage) throws IOException {
        return BLOCK.writeRun(result, render(result), resultsDir, result.date() + "-rebuild", "Rebuild run " + result.date(),
                docsPage);
    }

    /**
     * Renders a rebuild run.
     *
     * @param r the run
     * @return Markdown text
     */
    public static String render(RebuildResult r) {
        StringBuilder md = new StringBuilder();
        md.append(fmt("Run of %s on %s: `%s`.%n%n", r.startedAt(), r.machine(), r.command()));
        md.append(fmt("%,d events of %,d invoices in their first format (no type or state versions, as written before "
                        + "the invoice domain changed; written in %.1f s, invoices interleaved), %d partitions, broker in its own "
                        + "JVM, `exactly_once_v2`. The invoice topology at state version %d starts on them with an empty state "
                        + "directory and a new application id, so every partition replays its events (upcast on the way) and "
                        + "publishes one snapshot per invoice before it handles a command. The baseline, in the same run: one "
                        + "consumer reads every event, upcasts, decodes and folds them in a map, and one producer writes each "
                        + "final snapshot: %.1f s, %,.0f events/s.%n%n",
                r.events(), r.aggregates(), r.produceSeconds(), r.partitions(), r.stateVersion(), r.baselineSeconds(),
                r.events() / r.baselineSeconds()));
        md.append("| stream threads | seconds to all partitions CURRENT | events/s | slowest partition s | offsets replayed "
                + "| snapshots rebuilt | first command ms | restart: s to first answer | REPLAYING on restart "
                + "| Eventfold / baseline time |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RebuildPass p : r.passes()) {
            md.append(fmt("| %d | %.1f | %,.0f | %.1f | %,d | %,d | %.0f | %.1f | %d | %.2f × |%n", p.streamThreads(),
                    p.secondsToCurrent(), p.eventsPerSecond(), p.slowestPartitionSeconds(), p.offsetsRead(),
                    p.aggregatesRebuilt(), p.firstCommandMs(), p.restartSecondsToAnswer(), p.replayingPhasesOnRestart(),
                    p.ratioToBaseline()));
        }
        md.append("\nOffsets replayed and snapshots rebuilt by a later pass include the events of the commands the earlier "
                + "passes sent after their rebuild.\n");
        return md.toString();
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
