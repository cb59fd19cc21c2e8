package io.eventfold.benchmarks.e2e;

import io.eventfold.benchmarks.report.Latency;
import io.eventfold.benchmarks.report.Machine;
import io.eventfold.benchmarks.report.SustainedResult;
import io.eventfold.benchmarks.report.SustainedSample;
import io.eventfold.benchmarks.report.SustainedVerdict;
import io.eventfold.benchmarks.workload.InvoiceWorkload;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceAggregate;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.TopicLayout;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Eventfold under {@code exactly_once_v2} at a fixed rate for minutes, every command new, with a
 * short command-id retention: does the command-id store stay at about a retention period's worth
 * of commands, and what do its files and changelogs do meanwhile?
 *
 * <p>A broker in its own process (as {@link EndToEndBenchmark}), the invoice type's topics
 * ({@value #PARTITIONS} partitions) with the given {@code commandIdRetention}, and the invoice
 * workload without end: workloads of {@value #INVOICES_PER_WORKLOAD} new invoices ×
 * {@value #COMMANDS_PER_INVOICE} commands one after the other on one schedule of
 * {@link LoadGenerator}. Every ten seconds a sample: commands sent and answered and their p99
 * latency, the command-id store's entries (interactive queries, {@code ReadOnlyWindowStore.all()}
 * of every task), the keys and memtable bytes RocksDB reports for it, the size of its files under
 * the state directory and its time segments, and the size of both changelog topics on the broker
 * ({@link TopicSizes}).
 *
 * <pre>{@code
 * SustainedResult result = new SustainedBenchmark(new SustainedBenchmark.Settings(10, 1500, 60))
 *         .run(workDir, started, machine, commandLine);
 * }</pre>
 */
public final class SustainedBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(SustainedBenchmark.class);
    private static final int PARTITIONS = 4;
    private static final int INVOICES_PER_WORKLOAD = 1_000;
    private static final int COMMANDS_PER_INVOICE = 10;
    private static final int MAX_IN_FLIGHT = 1_000;
    private static final long SAMPLE_SECONDS = 10;
    private static final String APPLICATION_ID = "sustained";

    private final Settings settings;

    /**
     * What to run.
     *
     * @param minutes how long to send commands, {@code >= 1}
     * @param rate commands per second, {@code >= 1}
     * @param retentionSeconds the command-id retention, {@code >= 1}
     */
    public record Settings(int minutes, int rate, int retentionSeconds) {

        /**
         * Checks the settings.
         *
         * @param minutes how long to send commands
         * @param rate commands per second
         * @param retentionSeconds the command-id retention
         */
        public Settings {
            if (minutes < 1 || rate < 1 || retentionSeconds < 1) {
                throw new IllegalArgumentException("minutes, rate and retention must be >= 1 but were "
                        + minutes + ", " + rate + " and " + retentionSeconds);
            }
        }

        /**
         * The command line that runs these settings.
         *
         * @return {@code java -jar benchmarks/target/benchmarks.jar --only sustained …}
         */
        public String commandLine() {
            return "java -jar benchmarks/target/benchmarks.jar --only sustained --sustained-minutes " + minutes
                    + " --sustained-rate " + rate + " --sustained-retention-seconds " + retentionSeconds;
        }
    }

    /**
     * A sustained run with the given settings.
     *
     * @param settings what to run
     */
    public SustainedBenchmark(Settings settings) {
        this.settings = settings;
    }

    /**
     * Starts a broker process and the application, sends the workload at the rate for the
     * minutes while sampling, then stops both.
     *
     * @param workDir where the broker and the application keep their data
     * @param startedAt when the run started, ISO-8601, for the result
     * @param machine what it runs on, for the result
     * @return the run's samples and verdict
     * @throws IOException if the broker cannot be started
     * @throws InterruptedException if interrupted
     */
    public SustainedResult run(Path workDir, String startedAt, Machine machine) throws IOException, InterruptedException {
        Duration retention = Duration.ofSeconds(settings.retentionSeconds());
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = AggregateType.builder("invoice", new InvoiceAggregate())
                .commands(InvoiceCommand.class).events(InvoiceEvent.class).state(Invoice.class)
                .commandIdRetention(retention).build();
        long segmentSeconds = Math.max(retention.toSeconds() / 2, 60);
        try (BrokerProcess broker = BrokerProcess.start(workDir.resolve("broker"), Duration.ofMinutes(2));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicLayout.of(type).create(admin, PARTITIONS, (short) 1);
            Properties props = EventfoldConfig.streams(APPLICATION_ID, broker.bootstrapServers());
            Path stateDir = Files.createDirectories(workDir.resolve("state"));
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            StreamsConfig config = new StreamsConfig(props);
            String guarantee = config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
            long commitIntervalMs = config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
            LOG.info("sustained: {} commands/s for {} min, command-id retention {} s (segments of {} s), {}, {} partitions",
                    settings.rate(), settings.minutes(), settings.retentionSeconds(), segmentSeconds, guarantee, PARTITIONS);

            KafkaStreams streams = EventfoldStreams.start(props, type);
            try {
                StreamsRun.awaitRunning(streams);
                Sampler sampler = new Sampler(streams, admin, type, stateDir.resolve(APPLICATION_ID));
                Map<String, String> changelogConfig = changelogConfig(admin, sampler.commandIdChangelog);
                LoadGenerator.Run run;
                try (CountingClient client = new CountingClient(new GatewayCommandClient(type, broker.bootstrapServers()))) {
                    run = send(client, sampler);
                }
                List<SustainedSample> samples = sampler.samples();
                double achieved = run.commandsPerSecond();
                LOG.info("sustained: {} commands in {} s, {} commands/s achieved of {} asked; latency {}", run.commands(),
                        String.format(Locale.ROOT, "%.0f", run.seconds()), Math.round(achieved), settings.rate(), run.latency());
                SustainedVerdict verdict = SustainedVerdict.of(samples, settings.retentionSeconds(), segmentSeconds,
                        settings.rate(), achieved);
                LOG.info("sustained: {} {}", verdict.text(), verdict.rate());
                Latency latency = run.latency();
                return new SustainedResult(startedAt.substring(0, 10), startedAt, machine, settings.commandLine(), guarantee,
                        commitIntervalMs, PARTITIONS, settings.minutes(), settings.rate(), settings.retentionSeconds(),
                        segmentSeconds, run.commands(), run.accepted(), run.failures(), achieved, latency, changelogConfig,
                        samples, verdict);
            } finally {
                StreamsRun.close(streams);
            }
        }
    }

    /** Sends the commands on one schedule, sampling every ten seconds meanwhile and once at the end. */
    private LoadGenerator.Run send(CountingClient client, Sampler sampler) throws InterruptedException {
        long total = (long) settings.rate() * settings.minutes() * 60;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("rate × minutes is too many commands: " + total);
        }
        int perWorkload = INVOICES_PER_WORKLOAD * COMMANDS_PER_INVOICE;
        LoadGenerator generator = new LoadGenerator(MAX_IN_FLIGHT, Duration.ofMinutes(3));
        ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "sustained-sampler");
            thread.setDaemon(true);
            return thread;
        });
        long start = System.nanoTime();
        sampler.sample(0, client, false);
        every.scheduleAtFixedRate(() -> sampler.sample((System.nanoTime() - start) / 1e9, client, false),
                SAMPLE_SECONDS, SAMPLE_SECONDS, TimeUnit.SECONDS);
        try {
            return generator.run(client, (int) total, i -> new InvoiceWorkload("s" + i / perWorkload,
                    INVOICES_PER_WORKLOAD, COMMANDS_PER_INVOICE).command(i % perWorkload), settings.rate());
        } finally {
            every.shutdown();
            every.awaitTermination(1, TimeUnit.MINUTES);
            sampler.sample((System.nanoTime() - start) / 1e9, client, true);
        }
    }

    private static Map<String, String> changelogConfig(Admin admin, String topic) throws InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Map<String, String> shown = new LinkedHashMap<>();
        try {
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            for (String key : List.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.RETENTION_MS_CONFIG,
                    TopicConfig.SEGMENT_BYTES_CONFIG, TopicConfig.SEGMENT_MS_CONFIG)) {
                ConfigEntry entry = config.get(key);
                if (entry != null) {
                    shown.put(key, entry.value());
                }
            }
        } catch (ExecutionException e) {
            LOG.warn("sustained: cannot read the configuration of {}: {}", topic, e.getCause().toString());
        }
        return shown;
    }

    /** Takes the samples; one at a time, from the scheduler's thread or the sending thread. */
    private static final class Sampler {

        private final KafkaStreams streams;
        private final Admin admin;
        private final String store;
        private final Path applicationStateDir;
        private final String commandIdChangelog;
        private final String snapshotChangelog;
        private final List<SustainedSample> samples = new ArrayList<>();
        /** The latencies of the last sample's interval, for when the final sample replaces it. */
        private Histogram lastInterval;

        Sampler(KafkaStreams streams, Admin admin, AggregateType<?, ?, ?> type, Path applicationStateDir) {
            this.streams = streams;
            this.admin = admin;
            this.store = type.stores().commandIds();
            this.applicationStateDir = applicationStateDir;
            List<String> changelogs = type.stores().changelogs(APPLICATION_ID);
            this.snapshotChangelog = changelogs.get(0);
            this.commandIdChangelog = changelogs.get(1);
        }

        /**
         * Takes a sample. The final one replaces the last scheduled one when that is less than
         * half a sampling interval old, so that every row of the report covers about ten seconds.
         */
        synchronized void sample(double elapsedSeconds, CountingClient client, boolean last) {
            try {
                long sent = client.sent.get();
                long answered = client.answered.get();
                Histogram interval = client.latencies.getIntervalHistogram();
                if (last && !samples.isEmpty()
                        && elapsedSeconds - samples.get(samples.size() - 1).elapsedSeconds() < SAMPLE_SECONDS / 2.0) {
                    samples.remove(samples.size() - 1);
                    if (lastInterval != null) {
                        interval.add(lastInterval);
                    }
                }
                lastInterval = interval;
                long entries = entries();
                long[] rocksDb = rocksDbMetrics();
                long[] disk = storeOnDisk();
                Map<String, Long> topics = TopicSizes.of(admin, List.of(commandIdChangelog, snapshotChangelog));
                double p99 = interval.getTotalCount() == 0 ? Double.NaN : interval.getValueAtPercentile(99) / 1e6;
                SustainedSample sample = new SustainedSample(Math.round(elapsedSeconds * 10) / 10.0, sent, answered, entries,
                        rocksDb[0], rocksDb[1], disk[0], (int) disk[2], (int) disk[1], p99, topics.get(commandIdChangelog),
                        topics.get(snapshotChangelog));
                samples.add(sample);
                LOG.info("sustained: {} s, {} sent, {} answered (p99 {} ms), {} entries, {} RocksDB keys, memtables {} MiB, "
                                + "files {} MiB ({} sst) in {} segments per task; changelogs: command ids {} MiB, snapshots {} MiB",
                        Math.round(elapsedSeconds), sent, answered, String.format(Locale.ROOT, "%.0f", p99), entries, rocksDb[0],
                        mib(rocksDb[1]), mib(disk[0]), disk[2], disk[1], mib(sample.commandIdChangelogBytes()),
                        mib(sample.snapshotChangelogBytes()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | IOException e) {
                LOG.warn("sustained: sample at {} s failed: {}", Math.round(elapsedSeconds), e.toString());
            }
        }

        synchronized List<SustainedSample> samples() {
            return List.copyOf(samples);
        }

        /**
         * The command-id store's RocksDB keys ({@code estimate-num-keys}) and memtable bytes
         * ({@code size-all-mem-tables}), summed over every task; -1 for a metric that is not there.
         */
        private long[] rocksDbMetrics() {
            long[] keysAndMemtables = {-1, -1};
            for (Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
                MetricName name = metric.getKey();
                if (!"stream-state-metrics".equals(name.group()) || !store.equals(name.tags().get("rocksdb-window-state-id"))) {
                    continue;
                }
                int index = switch (name.name()) {
                    case "estimate-num-keys" -> 0;
                    case "size-all-mem-tables" -> 1;
                    default -> -1;
                };
                if (index >= 0 && metric.getValue().metricValue() instanceof Number value) {
                    keysAndMemtables[index] = Math.max(keysAndMemtables[index], 0) + value.longValue();
                }
            }
            return keysAndMemtables;
        }

        /** Every entry {@code all()} returns, over every task's store; -1 if the store cannot be queried. */
        private long entries() throws InterruptedException {
            for (int attempt = 0; attempt < 10; attempt++) {
                try {
                    ReadOnlyWindowStore<Bytes, byte[]> windows = streams.store(
                            StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<Bytes, byte[]>windowStore()));
                    long count = 0;
                    try (KeyValueIterator<Windowed<Bytes>, byte[]> all = windows.all()) {
                        while (all.hasNext()) {
                            all.next();
                            count++;
                        }
                    }
                    return count;
                } catch (InvalidStateStoreException e) {
                    Thread.sleep(200);
                }
            }
            return -1;
        }

        /**
         * The bytes of the files under {@code <state dir>/<application id>/<task>/<store>} of every
         * task, the most time segments (subdirectories) one task's store has, and the table files
         * ({@code .sst}) among them.
         */
        private long[] storeOnDisk() throws IOException {
            long[] bytesAndSegments = new long[3];
            if (!Files.isDirectory(applicationStateDir)) {
                return bytesAndSegments;
            }
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(applicationStateDir, Files::isDirectory)) {
                for (Path task : tasks) {
                    Path storeDir = task.resolve(store);
                    if (!Files.isDirectory(storeDir)) {
                        continue;
                    }
                    long[] files = size(storeDir);
                    bytesAndSegments[0] += files[0];
                    bytesAndSegments[2] += files[1];
                    long segments = 0;
                    try (DirectoryStream<Path> children = Files.newDirectoryStream(storeDir, Files::isDirectory)) {
                        for (Path ignored : children) {
                            segments++;
                        }
                    }
                    bytesAndSegments[1] = Math.max(bytesAndSegments[1], segments);
                }
            }
            return bytesAndSegments;
        }

        /**
         * The size of the files under a directory, and how many are {@code .sst} files; files that
         * vanish while it is walked (a dropped segment) count 0.
         */
        private static long[] size(Path dir) throws IOException {
            long[] total = new long[2];
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        total[0] += attributes.size();
                        if (file.getFileName().toString().endsWith(".sst")) {
                            total[1]++;
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
            return total;
        }

        private static String mib(long bytes) {
            return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
        }
    }

    /** Counts the commands sent and answered, and records their latency from the send, for the samples. */
    private static final class CountingClient implements CommandClient {

        private final CommandClient client;
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong answered = new AtomicLong();
        private final Recorder latencies = new Recorder(TimeUnit.MINUTES.toNanos(5), 3);

        CountingClient(CommandClient client) {
            this.client = client;
        }

        @Override
        public CompletableFuture<CommandResult<InvoiceEvent, Invoice>> send(Command<InvoiceCommand> command) {
            sent.incrementAndGet();
            long start = System.nanoTime();
            return client.send(command).whenComplete((result, error) -> {
                latencies.recordValue(Math.min(System.nanoTime() - start, TimeUnit.MINUTES.toNanos(5)));
                answered.incrementAndGet();
            });
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
