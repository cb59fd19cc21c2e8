package io.eventfold.benchmarks.topology;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.eventfold.kafka.AggregateType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.eventfold.kafka.EventSourcedTopology;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.eventfold.kafka.EventfoldConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.eventfold.kafka.EventfoldHeaders;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.eventfold.benchmarks.baseline.BaselineTopology;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.eventfold.benchmarks.report.TopologyResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.eventfold.benchmarks.workload.InvoiceWorkload;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.eventfold.core.Command;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.eventfold.examples.invoices.Invoices;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.eventfold.examples.invoices.domain.Invoice;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.header.internals.RecordHeaders;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.serialization.StringDeserializer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.serialization.StringSerializer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.StreamsConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.Topology;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.TopologyTestDriver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.test.TestRecord;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.LoggerFactory;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ThreadMXBean;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Properties;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;

/**
 * Commands per second through Eventfold's topology, the {@link BaselineTopology}, the baseline
 * {@linkplain BaselineTopology#withDeduplication with deduplication} and Eventfold's topology
 * reporting to a Prometheus meter registry, on {@link TopologyTestDriver}:
 * no broker, no network, only the processing, the RocksDB stores and the JSON. All get the same
 * pre-encoded command records. Every round runs each topology once, on a fresh driver, in an
 * order that rotates; the first rounds warm the JIT and are not counted, and the median of the
 * rest is reported.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.eventfold.benchmarks.topology.TopologyBenchmark 1000 20 9
 * }</pre>
 */
public final class TopologyBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyBenchmark.class);
    private static final AggregateType<InvoiceCommand, InvoiceEvent, Invoice> TYPE = Invoices.TYPE;
    /** TopologyTestDriver processes on the calling thread, so its CPU time is the processing's. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final InvoiceWorkload workload;
    private final int warmupRounds;
    private final int rounds;
    /** Commands per CPU-second of the piping thread, per counted round: steadier than wall time on a busy machine. */
    private final double[] eventfoldCpu;
    private final double[] baselineCpu;
    private final double[] dedupBaselineCpu;
    private final double[] meteredCpu;

    /**
     * A benchmark of one workload.
     *
     * @param workload the commands of one round
     * @param warmupRounds rounds per topology that are run but not counted
     * @param rounds counted rounds per topology
     */
    public TopologyBenchmark(InvoiceWorkload workload, int warmupRounds, int rounds) {
        this.workload = workload;
        this.warmupRounds = warmupRounds;
        this.rounds = rounds;
        this.eventfoldCpu = new double[rounds];
        this.baselineCpu = new double[rounds];
        this.dedupBaselineCpu = new double[rounds];
        this.meteredCpu = new double[rounds];
    }

    /**
     * Runs the benchmark alone, e.g. under a profiler.
     *
     * @param args invoices (default 1000), commands per invoice (default 20), rounds (default 9)
     * @throws IOException if no temporary state directory can be made
     */
    public static void main(String[] args) throws IOException {
        int invoices = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int perInvoice = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        TopologyBenchmark benchmark = new TopologyBenchmark(new InvoiceWorkload("inv", invoices, perInvoice), 2, rounds);
        TopologyResult result = benchmark.run();
        System.out.printf("eventfold %.0f commands/s, baseline %.0f commands/s, ratio %.3f%n",
                result.eventfoldCommandsPerSecond(), result.baselineCommandsPerSecond(), result.ratio());
        System.out.printf("baseline with deduplication %.0f commands/s, eventfold / it %.3f%n",
                result.dedupBaselineCommandsPerSecond(), result.dedupRatio());
        System.out.printf("eventfold with metrics %.0f commands/s, / eventfold %.3f%n",
                result.meteredCommandsPerSecond(), result.meteredRatio());
        double eventfoldCpu = median(benchmark.eventfoldCpu);
        double baselineCpu = median(benchmark.baselineCpu);
        System.out.printf("per CPU-second of the processing thread: eventfold %.0f commands, baseline %.0f commands, ratio %.3f%n",
                eventfoldCpu, baselineCpu, eventfoldCpu / baselineCpu);
    }

    /**
     * Runs the warm-up and counted rounds of both topologies.
     *
     * @return the median rates and every round's rate
     * @throws IOException if no temporary state directory can be made
     */
    public TopologyResult run() throws IOException {
        List<TestRecord<String, byte[]>> records = encode();
        List<Variant> topologies = List.of(new Variant(() -> EventSourcedTopology.of(TYPE), false),
                new Variant(() -> BaselineTopology.of(TYPE), false), new Variant(() -> BaselineTopology.withDeduplication(TYPE), false),
                new Variant(() -> EventSourcedTopology.of(TYPE), true));
        double[] unused = new double[1];
        for (int i = 0; i < warmupRounds; i++) {
            for (Variant topology : topologies) {
                round(topology, records, unused, 0);
            }
        }
        double[][] rates = new double[topologies.size()][rounds];
        double[][] cpuRates = {eventfoldCpu, baselineCpu, dedupBaselineCpu, meteredCpu};
        for (int i = 0; i < rounds; i++) {
            // Rotate which goes first, so none always meets the machine a moment later.
            for (int k = 0; k < topologies.size(); k++) {
                int which = (i + k) % topologies.size();
                rates[which][i] = round(topologies.get(which), records, cpuRates[which], i);
            }
            LOG.info("topology round {}: eventfold {}, baseline {}, baseline with deduplication {}, eventfold with metrics {} commands/s",
                    i + 1, Math.round(rates[0][i]), Math.round(rates[1][i]), Math.round(rates[2][i]), Math.round(rates[3][i]));
        }
        return new TopologyResult(workload.aggregates(), workload.commandsPerAggregate(), rounds,
                median(rates[0]), median(rates[1]), rates[0], rates[1], median(rates[2]), rates[2], median(rates[3]), rates[3]);
    }

    /** Encodes every command once, outside the timed part, as a command producer would. */
    private List<TestRecord<String, byte[]>> encode() {
        List<TestRecord<String, byte[]>> records = new ArrayList<>(workload.size());
        Instant time = Instant.parse("2026-11-22T10:00:00Z");
        for (int i = 0; i < workload.size(); i++) {
            Command<InvoiceCommand> command = workload.command(i);
            byte[] value = TYPE.serdes().commands().serializer().serialize(TYPE.topics().commands(), command);
            RecordHeaders headers = new RecordHeaders();
            EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, command.commandId());
            records.add(new TestRecord<>(command.aggregateId(), value, headers, time.plusMillis(i)));
        }
        return records;
    }

    /** A topology to measure, and whether it reports to a meter registry (one of its own per round). */
    private record Variant(Supplier<Topology> topology, boolean metered) {
    }

    /** One round on a fresh driver and state directory; only the piping of the commands is timed. */
    private double round(Variant variant, List<TestRecord<String, byte[]>> records, double[] cpuRates, int index)
            throws IOException {
        Path stateDir = Files.createTempDirectory("eventfold-topology-bench");
        Properties props = EventfoldConfig.topologyTestDriver("topology-benchmark");
        // As the baseline runs: the driver's default guarantee, so that the rounds compare processing only.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        if (variant.metered()) {
            props.put(EventfoldConfig.METER_REGISTRY_CONFIG, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        }
        try (TopologyTestDriver driver = new TopologyTestDriver(variant.topology().get(), props)) {
            var input = driver.createInputTopic(TYPE.topics().commands(), new StringSerializer(), new ByteArraySerializer());
            long start = System.nanoTime();
            long cpuStart = CPU.getCurrentThreadCpuTime();
            input.pipeRecordList(records);
            long elapsed = System.nanoTime() - start;
            cpuRates[index] = records.size() * 1e9 / (CPU.getCurrentThreadCpuTime() - cpuStart);
            int results = driver.createOutputTopic(TYPE.topics().commandResults(), new StringDeserializer(),
                    new ByteArrayDeserializer()).readValuesToList().size();
            if (results != records.size()) {
                throw new IllegalStateException("expected " + records.size() + " results but got " + results);
            }
            return records.size() * 1e9 / elapsed;
        } finally {
            deleteRecursively(stateDir);
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> path.toFile().delete());
        }
    }
}
