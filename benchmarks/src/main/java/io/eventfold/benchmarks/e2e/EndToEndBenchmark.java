package io.eventfold.benchmarks.e2e;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventSourcedTopology;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.TopicLayout;
import io.eventfold.kafka.TopicRole;
import io.eventfold.benchmarks.baseline.BaselineTopology;
import io.eventfold.benchmarks.peer.PekkoPeerBenchmark;
import io.eventfold.benchmarks.report.LoadResult;
import io.eventfold.benchmarks.report.ReplayResult;
import io.eventfold.benchmarks.report.TopicBytes;
import io.eventfold.benchmarks.workload.InvoiceWorkload;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceAggregate;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Eventfold and the baseline against one broker in its own process, each under
 * {@code exactly_once_v2} and {@code at_least_once}, every pass on fresh topics and a fresh
 * application id. A pass: warm up, send the workload at full speed, send half as many commands
 * (at most {@code halfRateSeconds} worth) at half the measured rate, then restart the application
 * with an empty state directory and time the restore. Between the two, while the application is
 * stopped, the size on disk of every topic of the pass is read from the broker
 * ({@link TopicSizes}), and divided by all commands the pass sent.
 *
 * <p>The application, its client and the load generator share this JVM; the broker has its own.
 *
 * <p>With a PostgreSQL database, the peer ({@link PekkoPeerBenchmark}: the same workload on Pekko
 * Persistence with its JDBC journal) runs twice, on an empty journal each time: first of all,
 * before the broker starts, and last, after it stopped, so neither the JIT's warm-up nor the end
 * of the run falls on one implementation alone.
 *
 * <pre>{@code
 * List<LoadResult> passes = new EndToEndBenchmark(settings, Optional.of(database)).run(workDir);
 * }</pre>
 */
public final class EndToEndBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(EndToEndBenchmark.class);
    /** Four partitions: more than the two cores, so a partition is never the limit. */
    private static final int PARTITIONS = 4;

    private final Settings settings;
    private final Optional<PekkoPeerBenchmark.Database> peer;

    /** System property: the commit interval of both implementations, in milliseconds, instead of Kafka Streams' default. */
    public static final String COMMIT_INTERVAL_PROPERTY = "benchmarks.commitIntervalMs";
    /**
     * Prefix of system properties passed to both implementations' streams settings as they are, to
     * try a setting without a build: {@code -Dbenchmarks.streams.producer.linger.ms=5}.
     */
    public static final String STREAMS_PROPERTY_PREFIX = "benchmarks.streams.";

    /**
     * What to send.
     *
     * @param aggregates invoices of the full-speed run
     * @param commands commands of the full-speed run
     * @param warmupCommands commands sent before measuring
     * @param maxInFlight commands awaiting their result at most
     * @param halfRateSeconds the longest the rate-limited run may take
     */
    public record Settings(int aggregates, int commands, int warmupCommands, int maxInFlight, int halfRateSeconds) {
    }

    /**
     * A benchmark with the given settings.
     *
     * @param settings what to send
     */
    public EndToEndBenchmark(Settings settings) {
        this(settings, Optional.empty());
    }

    /**
     * A benchmark with the given settings and, when a database is given, the Pekko peer.
     *
     * @param settings what to send
     * @param peer the PostgreSQL database of the Pekko peer, or empty to skip the peer
     */
    public EndToEndBenchmark(Settings settings, Optional<PekkoPeerBenchmark.Database> peer) {
        this.settings = settings;
        this.peer = peer;
    }

    /**
     * Runs the first pass of the peer, starts a broker process, runs the four Kafka passes, stops
     * the broker and runs the peer's second pass.
     *
     * @param workDir where the broker and the applications keep their data
     * @return one result per pass: Eventfold and the baseline under each guarantee, then the peer's passes in order
     * @throws IOException if the broker cannot be started
     * @throws SQLException if the peer's database cannot be reached or lacks the schema
     * @throws InterruptedException if interrupted
     */
    public List<LoadResult> run(Path workDir) throws IOException, SQLException, InterruptedException {
        List<LoadResult> results = new ArrayList<>();
        List<LoadResult> peerPasses = new ArrayList<>();
        Optional<PekkoPeerBenchmark> pekko = peer.map(database -> new PekkoPeerBenchmark(settings, database));
        if (pekko.isPresent()) {
            peerPasses.add(pekko.get().pass("pekko-1"));
        } else {
            LOG.info("the Pekko peer is skipped: no PostgreSQL given (--pekko-jdbc-url; benchmarks/run.sh starts one and passes it)");
        }
        try (BrokerProcess broker = BrokerProcess.start(workDir.resolve("broker"), Duration.ofMinutes(2))) {
            for (String guarantee : List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE)) {
                // The first pass of the JVM pays most of the JIT's warm-up: the baseline goes first under
                // exactly_once_v2, Eventfold under at_least_once. Reported Eventfold first either way.
                boolean eventfoldFirst = guarantee.equals(StreamsConfig.AT_LEAST_ONCE);
                LoadResult first = pass(broker.bootstrapServers(), workDir, eventfoldFirst, guarantee);
                LoadResult second = pass(broker.bootstrapServers(), workDir, !eventfoldFirst, guarantee);
                results.add(eventfoldFirst ? first : second);
                results.add(eventfoldFirst ? second : first);
            }
        }
        if (pekko.isPresent()) {
            peerPasses.add(pekko.get().pass("pekko-2"));
        }
        results.addAll(peerPasses);
        return results;
    }

    private LoadResult pass(String bootstrap, Path workDir, boolean eventfold, String guarantee)
            throws IOException, InterruptedException {
        String implementation = eventfold ? "eventfold" : "baseline";
        String name = implementation + "-" + (guarantee.equals(StreamsConfig.AT_LEAST_ONCE) ? "alos" : "eos");
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = AggregateType.builder(name, new InvoiceAggregate())
                .commands(InvoiceCommand.class).events(InvoiceEvent.class).state(Invoice.class).build();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicLayout.of(type).create(admin, PARTITIONS, (short) 1);
        }
        Properties props = EventfoldConfig.streams(name, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        // E.g. -Dbenchmarks.commitIntervalMs=50: both implementations with another commit interval than Kafka Streams' default.
        Long commitInterval = Long.getLong(COMMIT_INTERVAL_PROPERTY);
        if (commitInterval != null) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval);
        }
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith(STREAMS_PROPERTY_PREFIX))
                .forEach(key -> props.put(key.substring(STREAMS_PROPERTY_PREFIX.length()), System.getProperty(key)));
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(workDir.resolve("state-" + name)).toString());
        StreamsConfig config = new StreamsConfig(props);
        long commitIntervalMs = config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        Map<String, Object> producer = config.getProducerConfigs(name);
        Supplier<Topology> topology = eventfold ? () -> EventSourcedTopology.of(type) : () -> BaselineTopology.of(type);

        LOG.info("{}: starting ({} partitions, commit.interval.ms={}, producer linger.ms={}, compression.type={})", name, PARTITIONS,
                commitIntervalMs, producer.get(ProducerConfig.LINGER_MS_CONFIG), producer.get(ProducerConfig.COMPRESSION_TYPE_CONFIG));
        KafkaStreams streams = eventfold ? EventfoldStreams.start(props, type) : start(topology.get(), props);
        LoadSchedule.Runs runs;
        try {
            StreamsRun.awaitRunning(streams);
            try (CommandClient client = eventfold ? new GatewayCommandClient(type, bootstrap) : new PlainCommandClient(type, bootstrap)) {
                runs = new LoadSchedule(settings).run(client, name);
            }
        } finally {
            StreamsRun.close(streams);
        }
        long commandsSent = runs.commandsSent();
        List<TopicBytes> topicBytes = topicBytes(bootstrap, type, name, commandsSent);
        LOG.info("{}: {} bytes on disk per command over {} commands", name,
                String.format(Locale.ROOT, "%,.0f", topicBytes.stream().mapToDouble(TopicBytes::bytesPerCommand).sum()), commandsSent);
        ReplayResult replay = StreamsRun.replay(topology, props);
        LOG.info("{}: restored {} records in {} s", name, replay.restoredRecords(), String.format("%.2f", replay.secondsToRunning()));
        Map<String, Double> restoredPerCommand = new LinkedHashMap<>();
        replay.restoredByStore().forEach((store, records) ->
                restoredPerCommand.merge(storeRole(type, store), (double) records / commandsSent, Double::sum));
        return new LoadResult(implementation, guarantee, commitIntervalMs, runs.commands(), settings.maxInFlight(),
                runs.commandsPerSecond(), runs.latency(), runs.halfRateCommands(), runs.halfRate(), runs.halfRateLatency(),
                runs.failures(), replay, commandsSent, topicBytes, restoredPerCommand,
                (double) replay.restoredRecords() / commandsSent);
    }

    /**
     * Measures every topic of a pass once its application is stopped: the type's topics and
     * the application's changelogs.
     */
    private static List<TopicBytes> topicBytes(String bootstrap, AggregateType<?, ?, ?> type, String applicationId,
                                               long commandsSent) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<String, String> roles = new LinkedHashMap<>();
            for (TopicRole role : TopicRole.ofAggregateType()) {
                roles.put(role.topic(type.topics()), role.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
            Map<String, String> changelogRoles = new TreeMap<>();
            for (String changelog : TopicSizes.changelogs(admin, applicationId)) {
                changelogRoles.put(changelog, storeRole(type, TopicSizes.store(applicationId, changelog)) + " changelog");
            }
            roles.putAll(changelogRoles);
            Map<String, Long> sizes = TopicSizes.of(admin, roles.keySet());
            List<TopicBytes> bytes = new ArrayList<>();
            roles.forEach((topic, role) -> bytes.add(new TopicBytes(role, topic, sizes.get(topic),
                    (double) sizes.get(topic) / commandsSent)));
            return bytes;
        }
    }

    /** {@code snapshot store} and {@code command-id store} for Eventfold's and the baseline's, else the store's name. */
    private static String storeRole(AggregateType<?, ?, ?> type, String store) {
        if (store.equals(type.stores().snapshots()) || store.equals(BaselineTopology.SNAPSHOT_STORE)) {
            return "snapshot store";
        }
        if (store.equals(type.stores().commandIds()) || store.equals(BaselineTopology.COMMAND_ID_STORE)) {
            return "command-id store";
        }
        if (store.equals(type.stores().deadlines())) {
            return "deadline store";
        }
        return store;
    }

    private static KafkaStreams start(Topology topology, Properties props) {
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.start();
        return streams;
    }
}
