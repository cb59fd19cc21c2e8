package io.eventfold.benchmarks.report;


import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a sustained run to {@code <dir>/<date>-sustained.json} and {@code .md}, and replaces the
 * block of the docs page between {@link #START} and {@link #END}; a page without that block gets
 * it appended, under a heading of its own, and keeps it where it is moved to.
 */
public final class SustainedReport {

    /** Marks the start of the sustained run's block of the docs page. */
    public static final String START = "<!-- sustained:start -->";
    /** Marks its end. */
    public static final String END = "<!-- sustained:end -->";

    private static final double MIB = 1024.0 * 1024.0;
    private static final int CURVE_WIDTH = 50;

    private SustainedReport() {
    }

    /**
     * Writes the files of a sustained run.
     *
     * @param result the run
     * @param resultsDir e.g. {@code benchmarks/results}
     * @param docsPage e.g. {@code docs/benchmarks.md}; skipped when it does not exist
     * @return the JSON file written
     * @throws IOException if a file cannot be written
     */
    public static Path write(SustainedResult result, Path resultsDir, Path docsPage) throws IOException {
        return new DocsBlock(START, END, "Sustained run").writeRun(result, render(result), resultsDir,
                result.date() + "-sustained", "Sustained run " + result.date(), docsPage);
    }

    /**
     * Renders a sustained run: settings, verdict, the samples and the entries over time.
     *
     * @param r the run
     * @return Markdown text
     */
    public static String render(SustainedResult r) {
        StringBuilder md = new StringBuilder();
        md.append(fmt("Run of %s on %s: `%s`.%n%n", r.startedAt(), r.machine(), r.command()));
        md.append(fmt("Eventfold under %s (commit.interval.ms=%d), %d partitions, the invoice workload at %,.0f commands/s "
                        + "for %d min, every command new; command-id retention %d s, so the store's time segments are %d s.%n%n",
                r.guarantee(), r.commitIntervalMs(), r.partitions(), r.targetRate(), r.minutes(), r.retentionSeconds(),
                r.segmentIntervalSeconds()));
        SustainedVerdict v = r.verdict();
        md.append("- **Verdict:** ").append(v.text()).append('\n');
        md.append("- ").append(v.rate()).append(fmt(" %,d commands sent, %,d accepted, %d failed; latency from the scheduled "
                        + "send time p50 %.1f ms, p99 %.1f ms, max %.1f ms.%n", r.commandsSent(), r.accepted(), r.failures(),
                r.latency().p50Ms(), r.latency().p99Ms(), r.latency().maxMs()));
        md.append("- ").append(v.disk()).append('\n');
        md.append("- The command-id changelog topic: ").append(config(r.commandIdChangelogConfig()))
                .append(". Kafka deletes a log only by whole segments whose records are all older than `retention.ms`.\n\n");

        md.append("*Store entries* are what `ReadOnlyWindowStore.all()` returns over every task: entries older than the "
                + "retention are left out even while their time segment is still there. *RocksDB keys* (`estimate-num-keys`) "
                + "count those too, until their segment is dropped: they show the segments going. *p99* is the result latency "
                + "of the commands answered in the interval, from the gateway's send. Sizes are summed over the "
                + r.partitions() + " tasks; changelog sizes are the topics' logs on the broker.\n\n");
        md.append("| s | commands sent | rate /s | answered | p99 ms | store entries | entries / (retention × rate) "
                + "| RocksDB keys | memtables MiB | files MiB | .sst files | segments per task "
                + "| command-id changelog MiB | snapshot changelog MiB |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double perRetention = r.retentionSeconds() * r.achievedRate();
        SustainedSample previous = null;
        for (SustainedSample s : r.samples()) {
            double interval = previous == null ? 0 : s.elapsedSeconds() - previous.elapsedSeconds();
            String rate = interval <= 0 ? "–" : fmt("%,.0f", (s.commandsSent() - previous.commandsSent()) / interval);
            md.append(fmt("| %.0f | %,d | %s | %,d | %s | %s | %s | %s | %s | %.2f | %d | %d | %.1f | %.1f |%n",
                    s.elapsedSeconds(), s.commandsSent(), rate, s.commandsAnswered(),
                    Double.isNaN(s.p99Ms()) ? "–" : fmt("%.0f", s.p99Ms()),
                    s.storeEntries() < 0 ? "–" : fmt("%,d", s.storeEntries()),
                    s.storeEntries() < 0 ? "–" : fmt("%.2f", s.storeEntries() / perRetention),
                    s.storeKeys() < 0 ? "–" : fmt("%,d", s.storeKeys()),
                    s.storeMemtableBytes() < 0 ? "–" : fmt("%.1f", s.storeMemtableBytes() / MIB),
                    s.storeBytesOnDisk() / MIB,
                    s.storeSstFiles(), s.storeSegments(), s.commandIdChangelogBytes() / MIB, s.snapshotChangelogBytes() / MIB));
            previous = s;
        }
        md.append('\n');
        md.append(fmt("Command-id store entries over time (`|` marks the bound, %.1f × retention × rate = %,.0f):%n%n",
                SustainedVerdict.BOUND_FACTOR, v.entriesBound()));
        md.append("```text\n").append(curve(r.samples(), v.entriesBound())).append("```\n\n");
        return md.toString();
    }

    /** One line per sample: a bar of its entries, scaled so that the bound is visible. */
    static String curve(List<SustainedSample> samples, double bound) {
        double max = Math.max(bound, samples.stream().mapToLong(SustainedSample::storeEntries).max().orElse(0));
        int boundAt = max <= 0 ? -1 : (int) Math.round(CURVE_WIDTH * bound / max);
        StringBuilder text = new StringBuilder();
        for (SustainedSample s : samples) {
            int length = max <= 0 || s.storeEntries() < 0 ? 0 : (int) Math.round(CURVE_WIDTH * s.storeEntries() / max);
            StringBuilder bar = new StringBuilder();
            for (int i = 0; i <= CURVE_WIDTH; i++) {
                bar.append(i < length ? '#' : i == boundAt ? '|' : ' ');
            }
            text.append(fmt("%5.0f s %s %s%n", s.elapsedSeconds(), bar,
                    s.storeEntries() < 0 ? "–" : fmt("%,d", s.storeEntries())));
        }
        return text.toString();
    }

    private static String config(Map<String, String> config) {
        StringBuilder text = new StringBuilder();
        config.forEach((key, value) -> text.append(text.length() == 0 ? "" : ", ").append('`').append(key).append('=')
                .append(value).append('`'));
        return text.length() == 0 ? "configuration not read" : text.toString();
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
