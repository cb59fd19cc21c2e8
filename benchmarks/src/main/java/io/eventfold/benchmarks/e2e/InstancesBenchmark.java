package io.eventfold.benchmarks.e2e;

import io.eventfold.benchmarks.report.InstancesPass;
import io.eventfold.benchmarks.workload.InvoiceWorkload;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventSourcedTopology;
import io.eventfold.kafka.TopicLayout;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput and latency with several application instances on one machine: a broker in its own
 * JVM and, in turn, each instance count of the settings, every instance an {@link InstanceMain}
 * in a JVM of its own, on fresh topics per pass (the type, and so the application id, is named
 * for the pass). Once every instance is RUNNING with an even share of the active tasks and no
 * status has changed for {@link #SETTLE}, one gateway in this JVM sends a warm-up and then the
 * measured invoice workload with the end-to-end pass's load generator.
 *
 * <pre>{@code
 * List<InstancesPass> passes = new InstancesBenchmark(new InstancesBenchmark.Settings(10_000, 60_000, 10_000, 1_000,
 *     List.of(1, 2, 3))).run(workDir);
 * }</pre>
 */
public final class InstancesBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(InstancesBenchmark.class);
    /** Six partitions: an even share of the tasks for one, two and three instances. */
    public static final int PARTITIONS = 6;
    /** How long no instance may change its state or tasks before the group counts as stable. */
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Duration STABLE_TIMEOUT = Duration.ofMinutes(3);

    private final Settings settings;

    /**
     * What to send, and to how many instances.
     *
     * @param aggregates invoices of the measured workload
     * @param commands commands of the measured workload
     * @param warmupCommands commands sent before measuring
     * @param maxInFlight commands awaiting their result at most
     * @param instanceCounts one pass for each
     */
    public record Settings(int aggregates, int commands, int warmupCommands, int maxInFlight, List<Integer> instanceCounts) {
    }

    /**
     * A benchmark with the given settings.
     *
     * @param settings what to send, and to how many instances
     */
    public InstancesBenchmark(Settings settings) {
        this.settings = settings;
    }

    /**
     * Starts a broker process, runs one pass per instance count and stops the broker.
     *
     * @param workDir where the broker and the instances keep their data
     * @return one result per pass
     * @throws Exception if the broker or an instance cannot run
     */
    public List<InstancesPass> run(Path workDir) throws Exception {
        List<InstancesPass> passes = new ArrayList<>();
        try (BrokerProcess broker = BrokerProcess.start(workDir.resolve("broker"), Duration.ofMinutes(2))) {
            for (int instances : settings.instanceCounts()) {
                InstancesPass pass = pass(broker.bootstrapServers(), workDir, instances);
                LOG.info("{} instance(s): {} commands/s, latency {}", instances, Math.round(pass.commandsPerSecond()),
                        pass.latency());
                passes.add(pass);
            }
        }
        return passes;
    }

    private InstancesPass pass(String bootstrap, Path workDir, int count) throws Exception {
        String name = "instances-" + count;
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = InstanceMain.invoiceType(name);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicLayout.of(type).create(admin, PARTITIONS, (short) 1);
        }
        int tasks = EventSourcedTopology.of(type).describe().subtopologies().size() * PARTITIONS;
        List<InstanceProcess> instances = new ArrayList<>();
        AtomicLong changes = new AtomicLong();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                InstanceProcess instance = InstanceProcess.start(bootstrap, name, workDir.resolve("state-" + name + "-" + i),
                        name + "#" + i, changes);
                instances.add(instance);
                instance.awaitRunning(STABLE_TIMEOUT);
            }
            awaitStable(instances, tasks, changes);
            double secondsToStable = (System.nanoTime() - start) / 1e9;
            int[] active = instances.stream().mapToInt(instance -> instance.status().activeTasks()).toArray();
            int[] standby = instances.stream().mapToInt(instance -> instance.status().standbyTasks()).toArray();
            LOG.info("{}: stable after {} s, active tasks {}, standby tasks {}", name, Math.round(secondsToStable),
                    Arrays.toString(active), Arrays.toString(standby));

            long stableChanges = changes.get();
            LoadGenerator generator = new LoadGenerator(settings.maxInFlight(), Duration.ofMinutes(3));
            LoadGenerator.Run run;
            double loadBefore;
            double loadAfter;
            try (CommandClient client = new GatewayCommandClient(type, bootstrap)) {
                generator.run(client, InvoiceWorkload.ofCommands(name + "-w", Math.min(1000, settings.aggregates()),
                        settings.warmupCommands()), 0);
                loadBefore = load();
                run = generator.run(client, InvoiceWorkload.ofCommands(name + "-m", settings.aggregates(), settings.commands()), 0);
                loadAfter = load();
            }
            // A pass whose group changed while it was measured did not measure what it says: the report tells.
            boolean settled = changes.get() == stableChanges;
            if (!settled) {
                LOG.warn("{}: the group changed while it was measured: {}", name, statuses(instances));
            }
            return new InstancesPass(count, active, standby, secondsToStable, settled, run.commands(), run.seconds(),
                    run.commandsPerSecond(), run.latency(), run.accepted(), run.failures(), loadBefore, loadAfter);
        } finally {
            InstanceProcess.stopAll(instances);
        }
    }

    /**
     * The machine's one-minute load average: other work on the machine (a build, say) shows in it,
     * and takes cores from the pass.
     */
    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * Waits until every instance is RUNNING, the active tasks are all owned and evenly shared,
     * and no status line has come for {@link #SETTLE}: a rebalance after the last join would show.
     */
    private static void awaitStable(List<InstanceProcess> instances, int tasks, AtomicLong changes) throws InterruptedException {
        long deadline = System.nanoTime() + STABLE_TIMEOUT.toNanos();
        long seen = -1;
        long quietSince = System.nanoTime();
        while (true) {
            instances.forEach(InstanceProcess::checkAlive);
            long now = System.nanoTime();
            long current = changes.get();
            if (current != seen) {
                seen = current;
                quietSince = now;
            } else if (balanced(instances, tasks) && now - quietSince >= SETTLE.toNanos()) {
                return;
            }
            if (now > deadline) {
                throw new IllegalStateException("the group of " + instances.size() + " instances not stable after "
                        + STABLE_TIMEOUT + ": " + statuses(instances));
            }
            Thread.sleep(50);
        }
    }

    /** Every instance RUNNING, the {@code tasks} active tasks all owned, no instance more than one above another. */
    private static boolean balanced(List<InstanceProcess> instances, int tasks) {
        int sum = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (InstanceProcess instance : instances) {
            InstanceProcess.Status status = instance.status();
            if (!status.running()) {
                return false;
            }
            sum += status.activeTasks();
            min = Math.min(min, status.activeTasks());
            max = Math.max(max, status.activeTasks());
        }
        return sum == tasks && max - min <= 1;
    }

    private static String statuses(List<InstanceProcess> instances) {
        StringBuilder text = new StringBuilder();
        for (InstanceProcess instance : instances) {
            text.append(text.length() == 0 ? "" : ", ").append(instance.name()).append(' ').append(instance.status());
        }
        return text.toString();
    }
}
