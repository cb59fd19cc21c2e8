package io.eventfold.benchmarks.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Markdown tables of a run: the targets, the topology benchmark, the end-to-end passes with
 * their replay, Eventfold beside the baseline and the Pekko peer, the bytes each pass left on disk
 * per command and the records its replay restored per command, and the JMH scores.
 */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    /**
     * Renders a run.
     *
     * @param results the run
     * @param chartFile the chart's path relative to the Markdown file, or {@code null} for none
     * @return Markdown text
     */
    public static String render(Results results, String chartFile) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Run of %s (%s mode, %.0f s) on %s.%n%n",
                results.startedAt(), results.mode(), results.durationSeconds(), results.machine()));
        if (chartFile != null) {
            md.append("![Eventfold, the baseline and the peer, commands per second](").append(chartFile).append(")\n\n");
        }
        targets(md, results.summary());
        if (results.topology() != null) {
            topology(md, results.topology());
        }
        if (!results.endToEnd().isEmpty()) {
            endToEnd(md, results.endToEnd());
            threeWay(md, results.endToEnd(), results.summary());
            bytesPerCommand(md, results.endToEnd());
        }
        if (!results.micro().isEmpty()) {
            micro(md, results.micro());
        }
        return md.toString();
    }

    private static void targets(StringBuilder md, Summary s) {
        md.append("| target | measured | met |\n|---|---|---|\n");
        row(md, "topology: Eventfold ≥ 0.9 × baseline", fmt("%.3f ×", s.topologyRatio()), met(s.topologyRatio() >= 0.9, s.topologyRatio()));
        row(md, "end to end, exactly_once_v2: Eventfold ≥ 1.0 × baseline (which does not deduplicate)",
                fmt("%.3f ×", s.exactlyOnceRatio()), met(s.exactlyOnceRatio() >= 1.0, s.exactlyOnceRatio()));
        row(md, "end to end, at_least_once (no target)", fmt("%.3f ×", s.atLeastOnceRatio()), "–");
        row(md, "end to end, exactly_once_v2: Eventfold ≥ 1.0 × Pekko on PostgreSQL (the mean of its two passes)",
                fmt("%.3f ×", s.exactlyOnceToPeerRatio()), met(s.exactlyOnceToPeerRatio() >= 1.0, s.exactlyOnceToPeerRatio()));
        double limit = 3 * s.exactlyOnceCommitIntervalMs();
        row(md, fmt("p99 at half the max rate, exactly_once_v2: ≤ 3 × commit.interval.ms = %.0f ms", limit),
                fmt("%.1f ms", s.exactlyOnceHalfRateP99Ms()), met(s.exactlyOnceHalfRateP99Ms() <= limit, s.exactlyOnceHalfRateP99Ms()));
        row(md, "restore after the state directory is deleted, exactly_once_v2: ≤ 1.5 changelog records per command",
                fmt("%.2f", s.exactlyOnceRestoredPerCommand()),
                met(s.exactlyOnceRestoredPerCommand() <= 1.5, s.exactlyOnceRestoredPerCommand()));
        md.append('\n');
    }

    private static void topology(StringBuilder md, TopologyResult t) {
        md.append(String.format(Locale.ROOT, "**Topology on TopologyTestDriver** (%d invoices × %d commands per round, "
                + "median of %d rounds after warm-up; each runs once in every round, and a ratio is the median of the "
                + "rounds' ratios)%n%n", t.invoices(), t.commandsPerInvoice(), t.rounds()));
        md.append("| implementation | commands/s (median) | rounds |\n|---|---:|---|\n");
        row(md, "Eventfold", fmt("%,.0f", t.eventfoldCommandsPerSecond()), rounds(t.eventfoldRounds()));
        row(md, "baseline", fmt("%,.0f", t.baselineCommandsPerSecond()), rounds(t.baselineRounds()));
        row(md, "**Eventfold / baseline**", fmt("**%.3f**", t.ratio()), ratios(t.roundRatios()));
        row(md, "baseline with deduplication", fmt("%,.0f", t.dedupBaselineCommandsPerSecond()), rounds(t.dedupBaselineRounds()));
        row(md, "Eventfold / baseline with deduplication", fmt("%.3f", t.dedupRatio()), ratios(t.dedupRoundRatios()));
        row(md, "Eventfold with metrics (Prometheus registry)", fmt("%,.0f", t.meteredCommandsPerSecond()), rounds(t.meteredRounds()));
        row(md, "Eventfold with metrics / Eventfold", fmt("%.3f", t.meteredRatio()), ratios(t.meteredRoundRatios()));
        md.append('\n');
    }

    private static void endToEnd(StringBuilder md, List<LoadResult> passes) {
        md.append("**End to end**, broker in its own JVM; the Pekko peer's PostgreSQL in its own process\n\n");
        md.append("| guarantee | implementation | commands | commands/s | p50 ms | p95 ms | p99 ms | max ms "
                + "| half rate /s | p99 ms at half rate | failures | replay s | records restored | restored/s |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LoadResult p : passes) {
            ReplayResult r = p.replay();
            row(md, p.commitIntervalMs() > 0 ? p.guarantee() + " (commit " + p.commitIntervalMs() + " ms)" : p.guarantee(),
                    p.implementation(), fmt("%,d", p.commands()),
                    fmt("%,.0f", p.commandsPerSecond()), fmt("%.1f", p.latency().p50Ms()), fmt("%.1f", p.latency().p95Ms()),
                    fmt("%.1f", p.latency().p99Ms()), fmt("%.1f", p.latency().maxMs()), fmt("%,.0f", p.halfRate()),
                    fmt("%.1f", p.halfRateLatency().p99Ms()), Long.toString(p.failures()),
                    r == null ? "–" : fmt("%.2f", r.secondsToRunning()), r == null ? "–" : fmt("%,d", r.restoredRecords()),
                    r == null ? "–" : fmt("%,.0f", r.recordsPerSecond()));
        }
        md.append('\n');
    }

    /**
     * Every pass in one table, the Pekko peer's by their order in the run and then their mean, each
     * compared with Eventfold under {@code exactly_once_v2}; nothing when the peer was not run.
     */
    private static void threeWay(StringBuilder md, List<LoadResult> passes, Summary summary) {
        List<LoadResult> peer = passes.stream().filter(p -> p.implementation().equals(Summary.PEER)).toList();
        if (peer.isEmpty()) {
            md.append("The Pekko peer was not run (no PostgreSQL: `--pekko-jdbc-url`, which `benchmarks/run.sh` passes).\n\n");
            return;
        }
        double eventfold = Summary.find(passes, "eventfold", "exactly_once_v2").map(LoadResult::commandsPerSecond)
                .orElse(Double.NaN);
        md.append("**Eventfold, the baseline and the peer** (Pekko Persistence, JDBC journal on PostgreSQL; its first "
                + "pass ran before the Kafka passes, its second after them)\n\n");
        md.append("| pass | commands/s | p50 ms | p99 ms | p99 ms at half rate | Eventfold exactly_once_v2 / this |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (LoadResult p : passes) {
            String name = p.implementation().equals(Summary.PEER)
                    ? fmt("Pekko on PostgreSQL, pass %d of %d", peer.indexOf(p) + 1, peer.size())
                    : p.implementation() + ", " + p.guarantee();
            row(md, name, fmt("%,.0f", p.commandsPerSecond()), fmt("%.1f", p.latency().p50Ms()),
                    fmt("%.1f", p.latency().p99Ms()), fmt("%.1f", p.halfRateLatency().p99Ms()),
                    fmt("%.3f", eventfold / p.commandsPerSecond()));
        }
        row(md, "**Pekko on PostgreSQL, mean of its passes**", fmt("**%,.0f**", summary.peerCommandsPerSecond()),
                fmt("%.1f", peer.stream().mapToDouble(p -> p.latency().p50Ms()).average().orElse(Double.NaN)),
                fmt("%.1f", peer.stream().mapToDouble(p -> p.latency().p99Ms()).average().orElse(Double.NaN)),
                fmt("%.1f", peer.stream().mapToDouble(p -> p.halfRateLatency().p99Ms()).average().orElse(Double.NaN)),
                fmt("**%.3f**", summary.exactlyOnceToPeerRatio()));
        md.append('\n');
        md.append("Journal table (`pg_total_relation_size('event_journal')`: heap, TOAST and indexes; no WAL) per command sent: ");
        for (int i = 0; i < peer.size(); i++) {
            md.append(i == 0 ? "" : ", ").append(fmt("%,.0f bytes (pass %d)", peer.get(i).totalBytesPerCommand(), i + 1));
        }
        md.append(".\n\n");
    }

    /**
     * One column per pass, Eventfold beside the baseline under each guarantee; one row per topic
     * role, then the total; then the changelog records the replay restored per command.
     */
    private static void bytesPerCommand(StringBuilder md, List<LoadResult> passes) {
        List<LoadResult> columns = new ArrayList<>();
        for (String guarantee : List.of("exactly_once_v2", "at_least_once")) {
            for (String implementation : List.of("eventfold", "baseline")) {
                Summary.find(passes, implementation, guarantee).filter(p -> p.topicBytes() != null).ifPresent(columns::add);
            }
        }
        if (columns.isEmpty()) {
            return;
        }
        md.append("**Bytes on disk per command**, by topic: each topic's log size on the broker "
                + "(`Admin.describeLogDirs`, all partitions, batch headers and transaction markers included) "
                + "once the pass's application was stopped, over every command the pass sent "
                + "(warm-up, full speed and half rate)\n\n");
        md.append("| topic |");
        columns.forEach(p -> md.append(' ').append(p.guarantee()).append(", ").append(p.implementation()).append(" |"));
        md.append("\n|---|").append("---:|".repeat(columns.size())).append('\n');
        md.append("| commands sent |");
        columns.forEach(p -> md.append(fmt(" %,d |", p.commandsSent())));
        md.append('\n');
        Set<String> roles = new LinkedHashSet<>(LoadResult.TOPIC_ROLES);
        Set<String> changelogs = new TreeSet<>();
        columns.forEach(p -> p.topicBytes().forEach(t -> {
            if (!roles.contains(t.role())) {
                changelogs.add(t.role());
            }
        }));
        roles.addAll(changelogs);
        for (String role : roles) {
            md.append("| ").append(role).append(" |");
            for (LoadResult p : columns) {
                double perCommand = p.topicBytes().stream().filter(t -> t.role().equals(role))
                        .mapToDouble(TopicBytes::bytesPerCommand).sum();
                boolean present = p.topicBytes().stream().anyMatch(t -> t.role().equals(role));
                md.append(present ? fmt(" %,.1f |", perCommand) : " – |");
            }
            md.append('\n');
        }
        md.append("| **all topics** |");
        columns.forEach(p -> md.append(fmt(" **%,.1f** |", p.totalBytesPerCommand())));
        md.append("\n\n");

        md.append("**Changelog records restored per command** by the replay (records restored over commands sent)\n\n");
        md.append("| store |");
        columns.forEach(p -> md.append(' ').append(p.guarantee()).append(", ").append(p.implementation()).append(" |"));
        md.append("\n|---|").append("---:|".repeat(columns.size())).append('\n');
        Set<String> stores = new TreeSet<>(Comparator.comparing((String store) -> !store.equals("snapshot store"))
                .thenComparing(Comparator.naturalOrder()));
        columns.forEach(p -> stores.addAll(p.restoredPerCommand().keySet()));
        for (String store : stores) {
            md.append("| ").append(store).append(" |");
            columns.forEach(p -> {
                Double perCommand = p.restoredPerCommand().get(store);
                md.append(perCommand == null ? " – |" : fmt(" %.3f |", perCommand));
            });
            md.append('\n');
        }
        md.append("| **all stores** |");
        columns.forEach(p -> md.append(Double.isNaN(p.restoredRecordsPerCommand()) ? " – |"
                : fmt(" **%.3f** |", p.restoredRecordsPerCommand())));
        md.append("\n\n");
    }

    private static void micro(StringBuilder md, List<MicroResult> scores) {
        md.append("**JMH** (throughput, one fork)\n\n| benchmark | score | ± | unit |\n|---|---:|---:|---|\n");
        for (MicroResult score : scores) {
            row(md, "`" + score.benchmark() + "`", fmt("%,.0f", score.score()), fmt("%,.0f", score.error()), score.unit());
        }
        md.append('\n');
    }

    private static String ratios(double[] values) {
        StringBuilder text = new StringBuilder();
        for (double value : values) {
            text.append(text.length() == 0 ? "" : ", ").append(fmt("%.3f", value));
        }
        return text.toString();
    }

    private static String rounds(double[] values) {
        StringBuilder text = new StringBuilder();
        for (double value : values) {
            text.append(text.length() == 0 ? "" : ", ").append(fmt("%,.0f", value));
        }
        return text.toString();
    }

    private static String met(boolean met, double value) {
        return Double.isNaN(value) ? "not run" : met ? "yes" : "**no**";
    }

    private static void row(StringBuilder md, String... cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
