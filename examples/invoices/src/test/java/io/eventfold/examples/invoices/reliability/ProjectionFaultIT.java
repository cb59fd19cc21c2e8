package io.eventfold.examples.invoices.reliability;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Snapshot;
import io.eventfold.embedded.EmbeddedKafkaMain;
import io.eventfold.examples.invoices.app.AppConfig;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.examples.invoices.readmodel.HistoryEntry;
import io.eventfold.examples.invoices.readmodel.InvoiceSummary;
import io.eventfold.examples.invoices.readmodel.ReadModel;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.TopicLayout;
import io.eventfold.kafka.json.JsonCodec;
import io.eventfold.kafka.testing.LocalPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invoice read model's projections killed for real: {@link ProjectionMain} runs the example's
 * {@link ReadModel} projections in a child JVM, killed with {@code kill -9} while it applies or
 * has just committed a batch, and restarted on the same database, while clients add line items
 * with {@code ExpectedVersion.exactly}. Afterwards every invoice's history must be exactly
 * versions 1 to its latest snapshot's version, and its list row at that version. On H2 with the
 * example's default file URL (whose commits reach the disk up to half a second later, so a kill
 * loses the last ones: the checkpoints go back with them), and on PostgreSQL.
 * {@code -Dreliability.soak=true} runs more invoices and kills.
 */
class ProjectionFaultIT {

    private static final boolean SOAK = Boolean.getBoolean("reliability.soak");
    private static final int INVOICES = SOAK ? 120 : 30;
    private static final int LINE_ITEMS = 11;
    private static final int KILLS = SOAK ? 15 : 5;

    @TempDir
    Path dir;

    private final List<ChildJvm> children = new ArrayList<>();
    private final Random random = new Random();
    private String bootstrap;

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
    }

    @Test
    void shouldKeepEveryHistoryCompleteWhenTheProjectionJvmIsKilledOnH2WithTheDefaultUrl() throws Exception {
        String url = AppConfig.forTests(dir.resolve("app")).jdbcUrl();
        run("H2 file, the example's default URL", "h2", url);
    }

    @Test
    void shouldKeepEveryHistoryCompleteWhenTheProjectionJvmIsKilledOnPostgres() throws Exception {
        LocalPostgres postgres = new LocalPostgres();
        try {
            postgres.start();
            run("PostgreSQL", "pg", postgres.jdbcUrl());
        } finally {
            postgres.stop();
        }
    }

    /**
     * A rebuild of the history projection into a new generation, its JVM killed with kill -9 once
     * a few of the new generation's batches committed, restarted without asking again: the request
     * is in the database, the build goes on from its checkpoints and switches over.
     */
    @Test
    void shouldCompleteARebuildKilledHalfwayAfterTheRestart() throws Exception {
        long start = System.nanoTime();
        String url = AppConfig.forTests(dir.resolve("app")).jdbcUrl();
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = startService("rebuilt");
        InvoiceLoad load = new InvoiceLoad(type, bootstrap, "INV-rebuilt-", INVOICES, 4, Duration.ofMinutes(4), LINE_ITEMS,
                Duration.ZERO);
        load.run();
        Map<String, Long> ends = endOffsets(type);
        ChildJvm first = startProjection(type, url, 0);
        awaitCheckpoints(first, ends);
        first.stop(Duration.ofSeconds(60));

        ChildJvm rebuilding = startProjection(type, url, 1, "--rebuild");
        int batchesBeforeKill = 3;
        for (int batch = 0; batch < batchesBeforeKill; batch++) {
            rebuilding.awaitLine(ProjectionMain.COMMITTED + ReadModel.HISTORY + " g2", Duration.ofMinutes(2));
        }
        Thread.sleep(random.nextInt(301));
        rebuilding.kill();
        assertThat(rebuilding.lines()).as("killed before the switch").noneMatch(line -> line.startsWith(ProjectionMain.SWITCHED));
        ChildJvm restarted = startProjection(type, url, 2);
        String switched = restarted.awaitLine(ProjectionMain.SWITCHED + ReadModel.HISTORY, Duration.ofMinutes(3));
        awaitCheckpoints(restarted, ends);
        restarted.stop(Duration.ofSeconds(60));

        assertThat(switched).isEqualTo(ProjectionMain.SWITCHED + ReadModel.HISTORY + " g1 -> g2");
        Map<String, Long> expected = latestSnapshotVersions(type);
        ReadModel readModel = new ReadModel(url, JsonCodec.defaultObjectMapper());
        Histories found = Histories.read(readModel, expected);
        long rows = found.rows();
        long missing = found.missing();
        long duplicated = found.duplicated();
        Map<String, List<Long>> histories = found.versions();
        ReliabilitySummary.record("history projection rebuilt into a new generation, its JVM killed with kill -9 after " + batchesBeforeKill
                        + " batches of the build, restarted without asking again: built on and switched over (H2 file, "
                        + INVOICES + " invoices)", expected.values().stream().mapToLong(Long::longValue).sum(), "1 × kill -9",
                load.retries.get(), rows, 0, missing, duplicated, 0, start);
        histories.forEach((invoiceId, versions) -> assertThat(versions).as(invoiceId + "'s history in generation 2")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, expected.get(invoiceId)).boxed().toList()));
    }

    /**
     * Two runner JVMs of the projections share one PostgreSQL read model (the example's read model
     * when several instances run); one asks for a rebuild of the history, both build it, each its
     * share of the partitions, and it switches over once.
     */
    @Test
    void shouldRebuildWithTwoRunnerJvmsSharingTheReadModel() throws Exception {
        long start = System.nanoTime();
        LocalPostgres postgres = new LocalPostgres();
        try {
            postgres.start();
            String url = postgres.jdbcUrl();
            AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = startService("shared");
            InvoiceLoad load = new InvoiceLoad(type, bootstrap, "INV-shared-", INVOICES, 4, Duration.ofMinutes(4), LINE_ITEMS,
                    Duration.ZERO);
            load.run();
            Map<String, Long> ends = endOffsets(type);
            ChildJvm first = startProjection(type, url, 0, "--instance", "a");
            awaitCheckpoints(first, ends);
            ChildJvm second = startProjection(type, url, 1, "--instance", "b", "--rebuild");

            String switchedFirst = first.awaitLine(ProjectionMain.SWITCHED + ReadModel.HISTORY, Duration.ofMinutes(3));
            String switchedSecond = second.awaitLine(ProjectionMain.SWITCHED + ReadModel.HISTORY, Duration.ofMinutes(3));
            awaitCheckpoints(first, ends);
            first.stop(Duration.ofSeconds(60));
            second.stop(Duration.ofSeconds(60));

            long builtByFirst = buildBatches(first);
            long builtBySecond = buildBatches(second);
            Map<String, Long> expected = latestSnapshotVersions(type);
            Histories found = Histories.read(new ReadModel(url, JsonCodec.defaultObjectMapper()), expected);
            ReliabilitySummary.record("history projection rebuilt by two runner JVMs sharing a PostgreSQL read model (" + builtByFirst + " and "
                            + builtBySecond + " batches of the build), switched over once (" + INVOICES + " invoices)",
                    expected.values().stream().mapToLong(Long::longValue).sum(), "2 instances", load.retries.get(), found.rows(), 0,
                    found.missing(), found.duplicated(), 0, start);
            assertThat(switchedFirst).isEqualTo(ProjectionMain.SWITCHED + ReadModel.HISTORY + " g1 -> g2");
            assertThat(switchedSecond).isEqualTo(switchedFirst);
            assertThat(builtByFirst).as("batches of the build in the first JVM").isPositive();
            assertThat(builtBySecond).as("batches of the build in the second JVM").isPositive();
            found.versions().forEach((invoiceId, versions) -> assertThat(versions).as(invoiceId + "'s history in generation 2")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, expected.get(invoiceId)).boxed().toList()));
        } finally {
            postgres.stop();
        }
    }

    private void run(String database, String name, String url) throws Exception {
        long start = System.nanoTime();
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = startService("projected-" + name);
        InvoiceLoad load = new InvoiceLoad(type, bootstrap, "INV-" + name + "-", INVOICES, 4, Duration.ofMinutes(4), LINE_ITEMS,
                Duration.ofMillis(SOAK ? 50 : 100));
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
            try {
                load.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        ChildJvm projection = startProjection(type, url, 0);
        int lostCommits = 0;
        long reRead = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            projection.awaitLine("BATCH ", Duration.ofMinutes(2));
            Thread.sleep(random.nextInt(701));
            projection.kill();
            Map<String, Long> committed = lastOffsets(projection.lines(), ProjectionMain.COMMITTED, false);
            Map<String, Long> read = lastOffsets(projection.lines(), ProjectionMain.APPLYING, true);
            projection = startProjection(type, url, kill);
            Map<String, Long> restart = positions(projection.lines(), ProjectionMain.POSITIONS);
            boolean lost = false;
            for (Map.Entry<String, Long> entry : committed.entrySet()) {
                // A restart behind a commit the process printed: the database lost committed transactions.
                lost |= restart.getOrDefault(entry.getKey(), 0L) < entry.getValue();
            }
            lostCommits += lost ? 1 : 0;
            for (Map.Entry<String, Long> entry : read.entrySet()) {
                reRead += Math.max(0, entry.getValue() - restart.getOrDefault(entry.getKey(), 0L));
            }
        }
        running.get();
        assertThat(load.results).hasSize(load.total());
        assertThat(load.results.values()).allMatch(result -> result.kind() == CommandResult.Kind.ACCEPTED);

        Map<String, Long> ends = endOffsets(type);
        awaitCheckpoints(projection, ends);
        projection.stop(Duration.ofSeconds(60));

        Map<String, Long> expected = latestSnapshotVersions(type);
        assertThat(expected).hasSize(INVOICES).allSatisfy((id, version) -> assertThat(version).isEqualTo(load.commandsPerInvoice()));
        ReadModel readModel = new ReadModel(url, JsonCodec.defaultObjectMapper());
        Histories found = Histories.read(readModel, expected);
        long missing = found.missing();
        long duplicated = found.duplicated();
        long rows = found.rows();
        Map<String, List<Long>> histories = found.versions();
        Map<String, Long> listed = new HashMap<>();
        for (InvoiceSummary row : readModel.list(Optional.empty())) {
            listed.put(row.invoiceId(), row.version());
        }
        long wrongRows = expected.entrySet().stream().filter(e -> !e.getValue().equals(listed.get(e.getKey()))).count();
        ReliabilitySummary.record("projection JVM killed with kill -9 mid-batch, restarted on " + database + " (" + INVOICES + " invoices; "
                        + lostCommits + " of " + KILLS + " kills lost committed transactions)",
                expected.values().stream().mapToLong(Long::longValue).sum(), KILLS + " × kill -9", load.retries.get(), rows, reRead,
                missing, duplicated, wrongRows, start);

        histories.forEach((invoiceId, versions) -> assertThat(versions).as(invoiceId + "'s history")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, expected.get(invoiceId)).boxed().toList()));
        assertThat(listed).as("the invoice list").isEqualTo(expected);
    }

    /** Each invoice's history versions in the read model's live generation, and what is missing or twice among them. */
    private record Histories(Map<String, List<Long>> versions, long rows, long missing, long duplicated) {

        static Histories read(ReadModel readModel, Map<String, Long> expected) throws java.sql.SQLException {
            Map<String, List<Long>> histories = new TreeMap<>();
            long rows = 0;
            long missing = 0;
            long duplicated = 0;
            for (String invoiceId : expected.keySet()) {
                List<Long> versions = readModel.history(invoiceId).stream().map(HistoryEntry::version).toList();
                histories.put(invoiceId, versions);
                rows += versions.size();
                missing += LongStream.rangeClosed(1, expected.get(invoiceId)).filter(v -> !versions.contains(v)).count();
                duplicated += versions.size() - versions.stream().distinct().count();
            }
            return new Histories(histories, rows, missing, duplicated);
        }
    }

    /** A broker and the invoice topology, each in a child JVM, with the topics of an invoice type of this name. */
    private AggregateType<InvoiceCommand, InvoiceEvent, Invoice> startService(String name) throws Exception {
        startBroker();
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = StreamsMain.invoiceType(name);
        try (Admin admin = admin()) {
            TopicLayout.of(type).create(admin, ProjectionMain.PARTITIONS, (short) 1);
        }
        children.add(ChildJvm.start("streams", dir.resolve("logs"), StreamsMain.READY, StreamsMain.class,
                bootstrap, type.name(), type.name() + "-app", dir.resolve("state").toString()));
        return type;
    }

    /** How many batches of the history's generation 2 a projection JVM committed. */
    private static long buildBatches(ChildJvm projection) {
        return projection.lines().stream().filter(line -> line.startsWith(ProjectionMain.COMMITTED + ReadModel.HISTORY + " g2"))
                .count();
    }

    private void startBroker() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ChildJvm broker = ChildJvm.start("broker", dir.resolve("logs"), EmbeddedKafkaMain.READY, EmbeddedKafkaMain.class,
                dir.resolve("kafka").toString(), Integer.toString(port));
        children.add(broker);
        bootstrap = broker.readyLine();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private ChildJvm startProjection(AggregateType<?, ?, ?> type, String url, int restart, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(bootstrap, type.name(), url, "--apply-delay-ms", "100", "--max-poll-records", "20"));
        args.addAll(List.of(options));
        ChildJvm projection = ChildJvm.start("projection-" + restart, dir.resolve("logs"), ProjectionMain.READY, ProjectionMain.class,
                args.toArray(String[]::new));
        children.add(projection);
        return projection;
    }

    /**
     * Per {@code projection partition}, the highest next offset of the lines with the prefix: the
     * {@code p@next} of committed batches, or the {@code p@first-last} (+1) of batches being applied.
     */
    private static Map<String, Long> lastOffsets(List<String> lines, String prefix, boolean ranges) {
        Map<String, Long> last = new HashMap<>();
        for (String line : lines) {
            if (!line.startsWith(prefix)) {
                continue;
            }
            String[] words = line.substring(prefix.length()).split(" ");
            for (int i = 2; i < words.length; i++) {
                String[] at = words[i].split("@");
                String offsets = at[1];
                long next = ranges ? Long.parseLong(offsets.substring(offsets.indexOf('-') + 1)) + 1 : Long.parseLong(offsets);
                last.merge(words[0] + " " + at[0], next, Math::max);
            }
        }
        return last;
    }

    /** The last {@code <projection> p=next …} per projection and partition among the lines with the prefix; -1 reads as 0. */
    private static Map<String, Long> positions(List<String> lines, String prefix) {
        Map<String, Long> positions = new HashMap<>();
        for (String line : lines) {
            if (!line.startsWith(prefix)) {
                continue;
            }
            String[] words = line.substring(prefix.length()).split(" ");
            for (int i = 1; i < words.length; i++) {
                String[] pair = words[i].split("=");
                positions.put(words[0] + " " + pair[0], Math.max(0, Long.parseLong(pair[1])));
            }
        }
        return positions;
    }

    /** The read_committed end of every partition of both topics, keyed as the child prints them. */
    private Map<String, Long> endOffsets(AggregateType<?, ?, ?> type) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, String> keys = new HashMap<>();
        for (int p = 0; p < ProjectionMain.PARTITIONS; p++) {
            TopicPartition snapshots = new TopicPartition(type.topics().snapshots(), p);
            TopicPartition events = new TopicPartition(type.topics().events(), p);
            latest.put(snapshots, OffsetSpec.latest());
            latest.put(events, OffsetSpec.latest());
            keys.put(snapshots, ReadModel.LIST + " " + p);
            keys.put(events, ReadModel.HISTORY + " " + p);
        }
        Map<String, Long> ends = new HashMap<>();
        try (Admin admin = admin()) {
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                    .forEach((partition, info) -> ends.put(keys.get(partition), info.offset()));
        }
        return ends;
    }

    /** Waits until the checkpoints the child reports reach the ends. */
    private static void awaitCheckpoints(ChildJvm projection, Map<String, Long> ends) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Map<String, Long> reported = new HashMap<>();
        while (ends.entrySet().stream().anyMatch(end -> reported.getOrDefault(end.getKey(), -1L) < end.getValue())) {
            if (System.nanoTime() >= deadline) {
                // What the projection JVM said besides its checkpoints: why a partition stayed behind.
                List<String> said = projection.lines().stream().filter(line -> !line.startsWith(ProjectionMain.CHECKPOINTS)).toList();
                assertThat(System.nanoTime()).as("the projections reach %s; checkpoints %s; the projection JVM's last lines:%n%s",
                        ends, reported, String.join("\n", said.subList(Math.max(0, said.size() - 40), said.size())))
                        .isLessThan(deadline);
            }
            reported.putAll(positions(List.of(projection.awaitLine(ProjectionMain.CHECKPOINTS, Duration.ofMinutes(1))),
                    ProjectionMain.CHECKPOINTS));
        }
    }

    /** Each invoice's latest version in the snapshots topic, read read_committed to its end. */
    private Map<String, Long> latestSnapshotVersions(AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type) {
        Map<String, Long> versions = new TreeMap<>();
        try (KafkaConsumer<byte[], Snapshot<Invoice>> consumer = new KafkaConsumer<>(
                EventfoldConfig.readCommittedConsumer(bootstrap, "projection-fault-check"), new ByteArrayDeserializer(),
                type.serdes().snapshots().deserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < ProjectionMain.PARTITIONS; p++) {
                partitions.add(new TopicPartition(type.topics().snapshots(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                for (ConsumerRecord<byte[], Snapshot<Invoice>> record : consumer.poll(Duration.ofMillis(500))) {
                    versions.merge(record.value().aggregateId(), record.value().version(), Math::max);
                }
            }
        }
        return versions;
    }
}
