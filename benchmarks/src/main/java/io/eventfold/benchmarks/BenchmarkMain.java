package io.eventfold.benchmarks;

import io.eventfold.benchmarks.e2e.EndToEndBenchmark;
import io.eventfold.benchmarks.e2e.InstancesBenchmark;
import io.eventfold.benchmarks.e2e.RebuildBenchmark;
import io.eventfold.benchmarks.e2e.ReplyRoutingBenchmark;
import io.eventfold.benchmarks.e2e.SustainedBenchmark;
import io.eventfold.benchmarks.micro.MicroBenchmarks;
import io.eventfold.benchmarks.peer.PekkoPeerBenchmark;
import io.eventfold.benchmarks.report.InstancesPass;
import io.eventfold.benchmarks.report.InstancesReport;
import io.eventfold.benchmarks.report.InstancesResult;
import io.eventfold.benchmarks.report.LoadResult;
import io.eventfold.benchmarks.report.Machine;
import io.eventfold.benchmarks.report.MicroResult;
import io.eventfold.benchmarks.report.RebuildReport;
import io.eventfold.benchmarks.report.RebuildResult;
import io.eventfold.benchmarks.report.ReportFiles;
import io.eventfold.benchmarks.report.Results;
import io.eventfold.benchmarks.report.Summary;
import io.eventfold.benchmarks.report.SustainedReport;
import io.eventfold.benchmarks.report.SustainedResult;
import io.eventfold.benchmarks.report.TopologyResult;
import io.eventfold.benchmarks.topology.TopologyBenchmark;
import io.eventfold.benchmarks.workload.InvoiceWorkload;
import org.openjdk.jmh.runner.options.TimeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Runs every benchmark once and writes the report: JMH, the topology on TopologyTestDriver, and
 * the end-to-end passes against a broker process; or, with {@code --only sustained}, the
 * sustained run, which writes a report of its own.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar                    # the full run, under 10 minutes
 * java -jar benchmarks/target/benchmarks.jar --quick            # a smoke run of a minute or two
 * java -jar benchmarks/target/benchmarks.jar --only sustained   # 10 minutes at 1500 commands/s
 * java -jar benchmarks/target/benchmarks.jar --only rebuild     # 1,000,000 first-format events of 100,000 invoices rebuilt
 * java -jar benchmarks/target/benchmarks.jar --only replies     # what each of 1, 4 and 16 gateways reads, routed or not
 * java -jar benchmarks/target/benchmarks.jar --only instances   # commands/s and latency with 1, 2 and 3 application instances
 * }</pre>
 *
 * <p>Options: {@code --quick} (or {@code -Dbenchmarks.quick=true}), {@code --commands N} (end to
 * end, default 200000), {@code --aggregates N} (default 10000), {@code --only
 * micro,topology,e2e,sustained,rebuild,replies,instances} (default {@code micro,topology,e2e}),
 * {@code --results DIR} (default {@code benchmarks/results}), {@code --docs FILE} (default {@code docs/benchmarks.md},
 * updated when it exists), {@code --sustained-minutes N} (default 10), {@code --sustained-rate R}
 * (commands/s, default 1500), {@code --sustained-retention-seconds S} (the command-id retention,
 * default 60), {@code --rebuild-aggregates N} (default 100000), {@code --rebuild-events N} (default
 * 1000000), {@code --reply-commands N} (per gateway, default 2000), {@code --instance-commands N}
 * (measured commands per pass of the several-instances run, default 60000), {@code --pekko-jdbc-url
 * URL} (a PostgreSQL database with the schema of pekko-persistence-jdbc, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5433/postgres}: the end-to-end run then runs the Pekko peer
 * twice, first and last; without it the peer is skipped; {@code benchmarks/run.sh} starts a
 * PostgreSQL and passes it), {@code --pekko-jdbc-user USER} (default {@code pekko}). The main
 * report is written only when one of its parts ran.
 */
public final class BenchmarkMain {

    private static final Logger LOG = LoggerFactory.getLogger(BenchmarkMain.class);
    /** Commands awaiting their result at most, at full speed: the end-to-end and several-instances passes alike. */
    private static final int MAX_IN_FLIGHT = 1_000;

    private BenchmarkMain() {
    }

    /** Commands sent before measuring, in the end-to-end and several-instances passes. */
    private static int warmupCommands(Options options) {
        return options.quick() ? 2_000 : 10_000;
    }

    /**
     * Runs the benchmarks.
     *
     * @param args the options above
     * @throws Exception if a benchmark cannot run; nothing is written then
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        OffsetDateTime started = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        long start = System.nanoTime();
        Machine machine = Machine.current();
        LOG.info("{} run of {} on {}", options.quick() ? "quick" : "full", new TreeSet<>(options.only()), machine);

        List<MicroResult> micro = List.of();
        if (options.runs("micro")) {
            micro = options.quick() ? new MicroBenchmarks(1, 2, TimeValue.seconds(1)).run()
                    : new MicroBenchmarks(2, 3, TimeValue.seconds(1)).run();
        }
        TopologyResult topology = null;
        if (options.runs("topology")) {
            topology = options.quick() ? new TopologyBenchmark(new InvoiceWorkload("inv", 300, 10), 1, 3).run()
                    : new TopologyBenchmark(new InvoiceWorkload("inv", 1000, 20), 3, 9).run();
        }
        List<LoadResult> endToEnd = List.of();
        if (options.runs("e2e")) {
            Path workDir = Files.createTempDirectory("eventfold-benchmarks");
            EndToEndBenchmark.Settings settings = new EndToEndBenchmark.Settings(options.aggregates(), options.commands(),
                    warmupCommands(options), MAX_IN_FLIGHT, options.quick() ? 5 : 20);
            try {
                Optional<PekkoPeerBenchmark.Database> peer = Optional.ofNullable(options.pekkoJdbcUrl())
                        .map(url -> new PekkoPeerBenchmark.Database(url, options.pekkoJdbcUser()));
                endToEnd = new EndToEndBenchmark(settings, peer).run(workDir);
            } finally {
                TempFiles.deleteRecursively(workDir);
            }
        }
        if (options.runsMainReport()) {
            double seconds = (System.nanoTime() - start) / 1e9;
            Results results = new Results(LocalDate.now().toString(), started.toString(), options.quick() ? "quick" : "full",
                    machine, Math.round(seconds), micro, topology, endToEnd, Summary.of(topology, endToEnd));
            Path json = ReportFiles.write(results, options.resultsDir(), options.docsPage());
            LOG.info("done in {} s; wrote {}", String.format(Locale.ROOT, "%.0f", seconds), json);
        }
        if (options.runs("sustained")) {
            Path workDir = Files.createTempDirectory("eventfold-sustained");
            SustainedBenchmark.Settings settings = new SustainedBenchmark.Settings(options.sustainedMinutes(),
                    options.sustainedRate(), options.sustainedRetentionSeconds());
            SustainedResult result;
            try {
                result = new SustainedBenchmark(settings).run(workDir,
                        OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(), machine);
            } finally {
                TempFiles.deleteRecursively(workDir);
            }
            Path json = SustainedReport.write(result, options.resultsDir(), options.docsPage());
            LOG.info("sustained run: {}; wrote {}", result.verdict().entries(), json);
        }
        if (options.runs("rebuild")) {
            Path workDir = Files.createTempDirectory("eventfold-rebuild");
            RebuildResult result;
            try {
                result = new RebuildBenchmark(new RebuildBenchmark.Settings(options.rebuildAggregates(), options.rebuildEvents(),
                        6, List.of(1, 2))).run(workDir, OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(), machine,
                        "java -jar benchmarks/target/benchmarks.jar --only rebuild --rebuild-aggregates "
                                + options.rebuildAggregates() + " --rebuild-events " + options.rebuildEvents());
            } finally {
                TempFiles.deleteRecursively(workDir);
            }
            Path json = RebuildReport.write(result, options.resultsDir(), options.docsPage());
            LOG.info("rebuild run: {}; wrote {}", result.passes(), json);
        }
        if (options.runs("replies")) {
            Path workDir = Files.createTempDirectory("eventfold-replies");
            try {
                List<ReplyRoutingBenchmark.Pass> passes = new ReplyRoutingBenchmark(options.replyCommands()).run(workDir);
                LOG.info("reply routing:\n{}", ReplyRoutingBenchmark.table(passes));
            } finally {
                TempFiles.deleteRecursively(workDir);
            }
        }
        if (options.runs("instances")) {
            Path workDir = Files.createTempDirectory("eventfold-instances");
            String startedAt = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
            InstancesBenchmark.Settings settings = new InstancesBenchmark.Settings(options.aggregates(),
                    options.instanceCommands(), warmupCommands(options), MAX_IN_FLIGHT, List.of(1, 2, 3));
            List<InstancesPass> passes;
            try {
                passes = new InstancesBenchmark(settings).run(workDir);
            } finally {
                TempFiles.deleteRecursively(workDir);
            }
            InstancesResult result = new InstancesResult(LocalDate.now().toString(), startedAt, machine,
                    "java -jar benchmarks/target/benchmarks.jar --only instances --instance-commands " + options.instanceCommands()
                            + " --aggregates " + options.aggregates() + (options.quick() ? " --quick" : ""),
                    InstancesBenchmark.PARTITIONS, settings.aggregates(), settings.warmupCommands(), settings.maxInFlight(), passes);
            Path json = InstancesReport.write(result, options.resultsDir(), options.docsPage());
            LOG.info("several instances:\n{}wrote {}", InstancesReport.render(result), json);
        }
        System.exit(0); // JMH and Kafka leave non-daemon threads behind
    }
}
