package io.eventfold.benchmarks.e2e;

import io.eventfold.benchmarks.report.Machine;
import io.eventfold.benchmarks.report.RebuildPass;
import io.eventfold.benchmarks.report.RebuildResult;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Snapshot;
import io.eventfold.examples.invoices.Invoices;
import io.eventfold.examples.invoices.domain.Customer;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.core.Event;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.RebuildStatus;
import io.eventfold.kafka.SnapshotRebuilds;
import io.eventfold.kafka.TopicLayout;
import io.eventfold.kafka.client.CommandGateway;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the snapshot rebuild: writes invoice histories in the domain's first format to a
 * broker in its own JVM, folds them once by hand (the baseline), then starts the current invoice
 * topology on them with an empty state directory, once per stream-thread count, and times it until
 * every partition is CURRENT; then restarts it and times it until a command is answered.
 *
 * <pre>{@code
 * RebuildResult result = new RebuildBenchmark(new RebuildBenchmark.Settings(100_000, 1_000_000, 6, List.of(1, 2)))
 *     .run(workDir, startedAt, Machine.current(), commandLine);
 * }</pre>
 */
public final class RebuildBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(RebuildBenchmark.class);
    private static final Duration REBUILD_TIMEOUT = Duration.ofMinutes(15);
    private static final String BASELINE_SNAPSHOTS = "baseline-rebuilt-snapshots";

    private final Settings settings;

    /**
     * The sizes of a run.
     *
     * @param aggregates invoices
     * @param events events in all, a multiple of {@code aggregates}, at least four per invoice
     * @param partitions partitions of each topic
     * @param streamThreads the stream-thread counts to start the topology with, one pass each
     */
    public record Settings(int aggregates, long events, int partitions, List<Integer> streamThreads) {
    }

    /**
     * A benchmark of these sizes.
     *
     * @param settings the sizes
     */
    public RebuildBenchmark(Settings settings) {
        this.settings = settings;
    }

    /**
     * Runs it.
     *
     * @param workDir a directory for the broker's logs and the state directories, deleted by the caller
     * @param startedAt when the run started, for the report
     * @param machine what it runs on
     * @param command the command line that reproduces it
     * @return the figures
     * @throws Exception if the broker, the topology or a client fails
     */
    public RebuildResult run(Path workDir, String startedAt, Machine machine, String command) throws Exception {
        int eventsPerInvoice = (int) (settings.events() / settings.aggregates());
        try (BrokerProcess broker = BrokerProcess.start(workDir.resolve("broker"), Duration.ofMinutes(1))) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicLayout.of(Invoices.TYPE).create(admin, settings.partitions(), (short) 1);
                admin.createTopics(List.of(new NewTopic(BASELINE_SNAPSHOTS, settings.partitions(), (short) 1))).all()
                        .get(1, TimeUnit.MINUTES);
            }
            long start = System.nanoTime();
            long written = new FirstFormatHistories(settings.aggregates(), eventsPerInvoice)
                    .write(bootstrap, Invoices.TYPE.topics().events());
            double produceSeconds = seconds(start);
            LOG.info("wrote {} first-format events of {} invoices in {} s", written, settings.aggregates(), produceSeconds);

            double baseline = baselineFold(bootstrap, written);
            LOG.info("baseline: folded {} events in {} s", written, baseline);
            List<RebuildPass> passes = new ArrayList<>();
            for (int threads : settings.streamThreads()) {
                passes.add(pass(bootstrap, workDir, threads, written, baseline));
            }
            return new RebuildResult(LocalDate.now().toString(), startedAt, machine, command, settings.aggregates(), written,
                    settings.partitions(), Invoices.TYPE.stateVersion(), produceSeconds, baseline, passes);
        }
    }

    /**
     * The hand-written lower bound: one consumer reads the whole events topic, decodes each event
     * through the type's serde (which upcasts) and folds it in a map; one producer writes each
     * final snapshot.
     */
    private static double baselineFold(String bootstrap, long expected) {
        long start = System.nanoTime();
        Map<String, Snapshot<Invoice>> states = new HashMap<>();
        var aggregate = Invoices.TYPE.aggregate();
        var events = Invoices.TYPE.serdes().events().deserializer();
        Properties consumerProps = EventfoldConfig.readCommittedConsumer(bootstrap, "baseline-fold");
        consumerProps.put("max.poll.records", 5_000);
        long read = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(Invoices.TYPE.topics().events())) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (read < expected) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Event<InvoiceEvent> event = events.deserialize(record.topic(), record.value());
                    Snapshot<Invoice> before = states.get(record.key());
                    Invoice state = aggregate.evolve(before == null ? aggregate.initialState() : before.state(), event.payload());
                    states.put(record.key(), new Snapshot<>(record.key(), event.version(), state));
                    read++;
                }
            }
        }
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        producerProps.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        var snapshots = Invoices.TYPE.serdes().snapshots().serializer();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new ByteArraySerializer())) {
            states.forEach((id, snapshot) -> producer.send(new ProducerRecord<>(BASELINE_SNAPSHOTS, id,
                    snapshots.serialize(BASELINE_SNAPSHOTS, snapshot))));
            producer.flush();
        }
        return seconds(start);
    }

    private RebuildPass pass(String bootstrap, Path workDir, int threads, long events, double baseline) throws Exception {
        String applicationId = "rebuild-" + threads + "-threads";
        Properties props = EventfoldConfig.streams(applicationId, bootstrap);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(workDir.resolve("state-" + applicationId)).toString());
        SnapshotRebuilds rebuilds = SnapshotRebuilds.of(applicationId, Invoices.TYPE);
        LOG.info("{}: starting on {} events", applicationId, events);

        long start = System.nanoTime();
        KafkaStreams streams = EventfoldStreams.start(props, Invoices.TYPE);
        double secondsToCurrent;
        double firstCommandMs;
        List<RebuildStatus> statuses;
        try {
            statuses = awaitAllCurrent(rebuilds, streams);
            secondsToCurrent = seconds(start);
            LOG.info("{}: every partition CURRENT after {} s", applicationId, secondsToCurrent);
            long sent = System.nanoTime();
            answer(bootstrap, "after-rebuild-" + threads);
            firstCommandMs = (System.nanoTime() - sent) / 1e6;
        } finally {
            StreamsRun.close(streams);
        }
        double slowest = statuses.stream().filter(s -> s.startedAt() != null && s.finishedAt() != null)
                .mapToDouble(s -> Duration.between(s.startedAt(), s.finishedAt()).toMillis() / 1e3).max().orElse(Double.NaN);
        long offsetsRead = statuses.stream().mapToLong(RebuildStatus::offsetsRead).sum();
        long aggregates = statuses.stream().mapToLong(RebuildStatus::aggregates).sum();

        AtomicLong replaying = new AtomicLong();
        rebuilds.subscribe(status -> {
            if (status.phase() == RebuildStatus.Phase.REPLAYING) {
                replaying.incrementAndGet();
            }
        });
        long restart = System.nanoTime();
        KafkaStreams again = EventfoldStreams.start(props, Invoices.TYPE);
        double restartSeconds;
        try {
            answer(bootstrap, "after-restart-" + threads);
            restartSeconds = seconds(restart);
        } finally {
            StreamsRun.close(again);
        }
        LOG.info("{}: restarted and answered a command in {} s ({} REPLAYING phases)", applicationId, restartSeconds,
                replaying.get());
        return new RebuildPass(threads, secondsToCurrent, events / secondsToCurrent, slowest, offsetsRead, aggregates,
                firstCommandMs, restartSeconds, replaying.get(), secondsToCurrent / baseline);
    }

    private List<RebuildStatus> awaitAllCurrent(SnapshotRebuilds rebuilds, KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + REBUILD_TIMEOUT.toNanos();
        while (true) {
            List<RebuildStatus> statuses = rebuilds.statuses();
            if (statuses.stream().anyMatch(s -> s.phase() == RebuildStatus.Phase.FAILED)) {
                throw new IllegalStateException("a partition failed to rebuild: " + statuses);
            }
            if (statuses.size() == settings.partitions()
                    && statuses.stream().allMatch(s -> s.phase() == RebuildStatus.Phase.CURRENT)) {
                return statuses;
            }
            if (!streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
                throw new IllegalStateException("the topology stopped in state " + streams.state() + " while rebuilding: " + statuses);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not every partition CURRENT after " + REBUILD_TIMEOUT + ": " + statuses);
            }
            Thread.sleep(20);
        }
    }

    /** Sends one new invoice and waits for its answer, which the gateway resends for while a partition rebuilds. */
    private static void answer(String bootstrap, String invoiceId) throws Exception {
        try (CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> gateway = CommandGateway.builder(Invoices.TYPE, bootstrap)
                .timeout(REBUILD_TIMEOUT).build()) {
            CommandResult<InvoiceEvent, Invoice> result = gateway.send(invoiceId, new InvoiceCommand.CreateInvoice(
                    new Customer("Benchmark", "benchmark@example.com"), LocalDate.of(2026, 1, 5), LocalDate.of(2026, 2, 4), "EUR"),
                    ExpectedVersion.noStream()).get(REBUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!(result instanceof CommandResult.Accepted)) {
                throw new IllegalStateException("the command to " + invoiceId + " was not accepted: " + result);
            }
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
