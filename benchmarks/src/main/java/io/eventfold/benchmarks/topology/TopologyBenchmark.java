package io.eventfold.benchmarks.topology;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventSourcedTopology;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.benchmarks.baseline.BaselineTopology;
import io.eventfold.benchmarks.report.TopologyResult;
import io.eventfold.benchmarks.workload.InvoiceWorkload;
import io.eventfold.core.Command;
import io.eventfold.examples.invoices.Invoices;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Commands per second through Eventfold's topology, the {@link BaselineTopology} and the baseline
 * {@linkplain BaselineTopology#withDeduplication with deduplication} on {@link TopologyTestDriver}:
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
        List<Supplier<Topology>> topologies = List.of(
                () -> EventSourcedTopology.of(TYPE), () -> BaselineTopology.of(TYPE), () -> BaselineTopology.withDeduplication(TYPE));
        double[] unused = new double[1];
        for (int i = 0; i < warmupRounds; i++) {
            for (Supplier<Topology> topology : topologies) {
                round(topology, records, unused, 0);
            }
        }
        double[][] rates = new double[topologies.size()][rounds];
        double[][] cpuRates = {eventfoldCpu, baselineCpu, dedupBaselineCpu};
        for (int i = 0; i < rounds; i++) {
            // Rotate which goes first, so none always meets the machine a moment later.
            for (int k = 0; k < topologies.size(); k++) {
                int which = (i + k) % topologies.size();
                rates[which][i] = round(topologies.get(which), records, cpuRates[which], i);
            }
            LOG.info("topology round {}: eventfold {}, baseline {}, baseline with deduplication {} commands/s",
                    i + 1, Math.round(rates[0][i]), Math.round(rates[1][i]), Math.round(rates[2][i]));
        }
        return new TopologyResult(workload.aggregates(), workload.commandsPerAggregate(), rounds,
                median(rates[0]), median(rates[1]), rates[0], rates[1], median(rates[2]), rates[2]);
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

    /** One round on a fresh driver and state directory; only the piping of the commands is timed. */
    private double round(Supplier<Topology> topology, List<TestRecord<String, byte[]>> records, double[] cpuRates, int index)
            throws IOException {
        Path stateDir = Files.createTempDirectory("eventfold-topology-bench");
        Properties props = EventfoldConfig.topologyTestDriver("topology-benchmark");
        // As the baseline runs: the driver's default guarantee, so that the rounds compare processing only.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(topology.get(), props)) {
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
