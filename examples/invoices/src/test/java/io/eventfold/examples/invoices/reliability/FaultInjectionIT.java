package io.eventfold.examples.invoices.reliability;

import io.eventfold.embedded.EmbeddedKafkaMain;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.TopicLayout;
import io.eventfold.kafka.audit.AuditReport;
import io.eventfold.kafka.audit.LogAudit;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.examples.invoices.domain.Customer;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.examples.invoices.domain.LineItem;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults for real: the broker and the invoice topology run in child JVMs, killed with
 * {@code kill -9}, restarted, fed poison, raced. After each, {@link LogAudit} must find nothing,
 * and every command must have exactly one result. {@code -Dreliability.soak=true} runs longer.
 */
class FaultInjectionIT {

    private static final boolean SOAK = Boolean.getBoolean("reliability.soak");
    private static final int INVOICES = SOAK ? 400 : 40;

    @TempDir
    Path dir;

    private final List<ChildJvm> children = new ArrayList<>();
    private String bootstrap;
    private int brokerPort;

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
    }

    private ChildJvm startBroker() throws Exception {
        if (brokerPort == 0) {
            try (ServerSocket socket = new ServerSocket(0)) {
                brokerPort = socket.getLocalPort();
            }
        }
        ChildJvm broker = ChildJvm.start("broker", dir.resolve("logs"), EmbeddedKafkaMain.READY, EmbeddedKafkaMain.class,
                dir.resolve("kafka").toString(), Integer.toString(brokerPort));
        children.add(broker);
        bootstrap = broker.readyLine();
        return broker;
    }

    private AggregateType<InvoiceCommand, InvoiceEvent, Invoice> topics(String name) {
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = StreamsMain.invoiceType(name);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicLayout.of(type).create(admin, 3, (short) 1);
        }
        return type;
    }

    private ChildJvm startStreams(AggregateType<?, ?, ?> type, String instance) throws Exception {
        ChildJvm streams = ChildJvm.start("streams-" + instance, dir.resolve("logs"), StreamsMain.READY, StreamsMain.class,
                bootstrap, type.name(), type.name() + "-app", dir.resolve("state-" + instance).toString());
        children.add(streams);
        return streams;
    }

    private AuditReport audit(AggregateType<?, ?, ?> type) {
        return LogAudit.of(type).run(EventfoldConfig.readCommittedConsumer(bootstrap, "audit"));
    }

    /** The load must end with one accepted result per command, at the version its expectation named. */
    private static void assertEveryCommandAccepted(InvoiceLoad load) {
        assertThat(load.results).hasSize(load.total());
        load.results.forEach((commandId, result) -> {
            assertThat(result.kind()).as(commandId).isEqualTo(CommandResult.Kind.ACCEPTED);
            assertThat(result.version()).as(commandId).isEqualTo(Long.parseLong(commandId.substring(commandId.lastIndexOf('-') + 1)) + 1);
        });
    }

    private static void assertClean(AuditReport report, int commands) {
        assertThat(report.violations()).isEmpty();
        assertThat(report.commands()).isEqualTo(commands);
        assertThat(report.results()).isEqualTo(commands);
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void shouldLoseAndDoubleNothingWhenTheStreamsJvmIsKilledThreeTimes() throws Exception {
        long start = System.nanoTime();
        startBroker();
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = topics("killed");
        ChildJvm streams = startStreams(type, "a");
        InvoiceLoad load = new InvoiceLoad(type, bootstrap, INVOICES, 4, Duration.ofMinutes(4));
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> run(load));

        int kills = SOAK ? 6 : 3;
        for (int kill = 1; kill <= kills; kill++) {
            int threshold = load.total() * kill / (kills + 1);
            await(() -> load.completed.get() >= threshold || running.isDone(), Duration.ofMinutes(3), "load reaches " + threshold);
            assertThat(running).as("the kill hits the load, not an idle system").isNotDone();
            streams.kill();
            streams = startStreams(type, "a");
        }
        finish(type, load, running, "streams JVM killed with kill -9, restarted", kills + " × kill -9", start);
        assertThat(load.retries.get()).as("clients had to retry while the streams JVM was down").isPositive();
    }

    @Test
    void shouldKeepTheGuaranteesWhenOneOfTwoInstancesDiesAndComesBack() throws Exception {
        long start = System.nanoTime();
        startBroker();
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = topics("pair");
        startStreams(type, "a");
        ChildJvm second = startStreams(type, "b");
        InvoiceLoad load = new InvoiceLoad(type, bootstrap, INVOICES, 4, Duration.ofMinutes(4));
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> run(load));

        await(() -> load.completed.get() >= load.total() / 3 || running.isDone(), Duration.ofMinutes(3), "a third of the load");
        assertThat(running).as("the kill hits the load").isNotDone();
        second.kill();
        await(() -> load.completed.get() >= 2 * load.total() / 3 || running.isDone(), Duration.ofMinutes(3), "two thirds of the load");
        startStreams(type, "b");
        finish(type, load, running, "one of two instances killed (rebalance), restarted", "1 × kill -9 of 2 instances", start);
    }

    @Test
    void shouldKeepTheGuaranteesAcrossABrokerRestart() throws Exception {
        long start = System.nanoTime();
        ChildJvm broker = startBroker();
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = topics("restarted");
        startStreams(type, "a");
        InvoiceLoad load = new InvoiceLoad(type, bootstrap, INVOICES, 4, Duration.ofMinutes(4));
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> run(load));

        await(() -> load.completed.get() >= load.total() / 2 || running.isDone(), Duration.ofMinutes(3), "half of the load");
        assertThat(running).as("the restart hits the load").isNotDone();
        broker.stop(Duration.ofSeconds(60));
        children.remove(broker);
        startBroker();
        finish(type, load, running, "broker restarted during the load", "1 × broker restart", start);
    }

    /** Waits for the load, then checks the clients' results and the audit, and records the figures. */
    private void finish(AggregateType<?, ?, ?> type, InvoiceLoad load, CompletableFuture<Void> running, String scenario,
                        String faults, long start) throws Exception {
        running.get();

        assertEveryCommandAccepted(load);
        AuditReport report = audit(type);
        ReliabilitySummary.record(scenario, load.total(), faults, load.retries.get(), report, start);
        assertClean(report, load.total());
    }

    @Test
    void shouldAnswerOrDeadLetterEveryPoisonRecordAndHandleEveryValidCommand() throws Exception {
        long start = System.nanoTime();
        startBroker();
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = topics("poisoned");
        startStreams(type, "a");
        int poison = SOAK ? 50_000 : 10_000;
        Random random = new Random(7);
        int withId = 0;
        int withoutId = 0;
        int valid = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(EventfoldConfig.commandProducer(bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < poison; i++) {
                if (i % 20 == 0) {
                    Command<InvoiceCommand> create = new Command<>("valid-" + i, "INV-P-" + i, ExpectedVersion.noStream(),
                            new InvoiceCommand.CreateInvoice(new Customer("Ada", "ada@example.com"), LocalDate.of(2026, 11, 22),
                                    LocalDate.of(2026, 12, 22), "EUR"), Map.of());
                    producer.send(new ProducerRecord<>(type.topics().commands(), create.aggregateId(),
                            type.serdes().commands().serializer().serialize("", create)));
                    valid++;
                }
                PoisonRecord record = PoisonRecord.make(i, random);
                RecordHeaders headers = new RecordHeaders();
                if (record.headerCommandId() != null) {
                    headers.add(EventfoldHeaders.COMMAND_ID, record.headerCommandId().getBytes(StandardCharsets.UTF_8));
                }
                producer.send(new ProducerRecord<>(type.topics().commands(), null, record.key(), record.value(), headers));
                if (record.answerable()) {
                    withId++;
                } else {
                    withoutId++;
                }
            }
            producer.flush();
        }
        int expectedResults = valid + withId;
        int expectedDeadLetters = withoutId;

        AuditReport[] report = new AuditReport[1];
        await(() -> {
            report[0] = audit(type);
            return report[0].results() >= expectedResults && report[0].deadLetters() >= expectedDeadLetters;
        }, Duration.ofMinutes(3), "every record answered or dead-lettered");

        ReliabilitySummary.record("poison: random bytes, truncated JSON, unknown types, null/blank/mismatched keys, 200 kB values, 800 kB unreadable"
                + " commands, 600 kB command ids, records at the size limit (" + valid
                + " valid commands among them; " + expectedDeadLetters + " dead letters)", expectedResults + expectedDeadLetters,
                poison + " poison records", 0, report[0], start);
        assertThat(report[0].violations()).isEmpty();
        assertThat(report[0].results()).isEqualTo(expectedResults);
        assertThat(report[0].deadLetters()).isEqualTo(expectedDeadLetters);
        assertThat(report[0].resultsByKind()).containsEntry(CommandResult.Kind.ACCEPTED, (long) valid)
                .containsEntry(CommandResult.Kind.FAILED, (long) withId);
    }

    @Test
    void shouldAnswerEveryCommandWhileMalformedRecordsReachTheResultsAndRepliesTopics() throws Exception {
        long start = System.nanoTime();
        startBroker();
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = topics("malformed");
        startStreams(type, "a");
        InvoiceLoad load = new InvoiceLoad(type, bootstrap, INVOICES, 4, Duration.ofMinutes(4));
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> run(load));
        int malformed = SOAK ? 1_000 : 200;
        Random random = new Random(11);

        await(() -> load.completed.get() >= load.total() / 10 || running.isDone(), Duration.ofMinutes(3), "a tenth of the load");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(EventfoldConfig.commandProducer(bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < malformed; i++) {
                // The results topic for the audit and other readers, the replies topic for the gateways, which read only their replies.
                long seed = random.nextLong();
                producer.send(MalformedResult.make(type.topics().commandResults(), i, new Random(seed)));
                producer.send(MalformedResult.make(type.topics().replies(), i, new Random(seed)));
                Thread.sleep(5);
            }
        }
        assertThat(running).as("the malformed records reach gateways that wait for results").isNotDone();
        running.get();

        assertEveryCommandAccepted(load);
        AuditReport report = audit(type);
        ReliabilitySummary.record("malformed records on the results and replies topics while gateways wait (" + malformed + " injected into each: not JSON, null command-id "
                        + "header, unknown result kind, no value; each one is a violation the audit reports)", load.total(),
                malformed + " malformed results", load.retries.get(), report, start);
        assertThat(report.results()).isEqualTo(load.total());
        assertThat(report.violations()).hasSize(malformed).allMatch(violation -> violation.startsWith("result record ")
                && (violation.contains(" cannot be read: ") || violation.endsWith(" has no value")));
    }

    /**
     * A cluster older than its retentions: results are kept a day and commands a week, events
     * forever. The broker's deletion is done here with deleteRecords, as retention would.
     */
    @Test
    void shouldAuditTheWindowTheRetentionsLeave() throws Exception {
        long start = System.nanoTime();
        startBroker();
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = topics("aged");
        startStreams(type, "a");
        InvoiceLoad old = new InvoiceLoad(type, bootstrap, "INV-OLD-", INVOICES, 4, Duration.ofMinutes(4));
        old.run();
        long deletedResults;
        long deletedCommands;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            deletedResults = deleteBefore(admin, type.topics().commandResults(), 1.0);
            deletedCommands = deleteBefore(admin, type.topics().commands(), 0.5);
        }
        InvoiceLoad load = new InvoiceLoad(type, bootstrap, "INV-NEW-", INVOICES, 4, Duration.ofMinutes(4));
        load.run();

        assertEveryCommandAccepted(load);
        AuditReport report = audit(type);
        ReliabilitySummary.record("a months-old cluster's audit: every result and the older half of the commands of a first load deleted (as by "
                        + "their retentions), then a second load; " + report.commandsOutsideWindow() + " command records and "
                        + report.eventsOutsideWindow() + " events before the window, not checked for a result", load.total(),
                "retention: " + deletedResults + " result and " + deletedCommands + " command offsets deleted",
                load.retries.get(), report, start);
        assertClean(report, load.total());
        assertThat(report.commandsOutsideWindow()).isPositive();
        assertThat(report.eventsOutsideWindow()).isEqualTo(old.total());
    }

    /** Deletes the given share of every partition of the topic, from its start; returns the offsets deleted. */
    private static long deleteBefore(Admin admin, String topic, double share) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(partition -> latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest()));
        Map<TopicPartition, RecordsToDelete> deletes = new HashMap<>();
        long deleted = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end
                : admin.listOffsets(latest).all().get().entrySet()) {
            long before = (long) (end.getValue().offset() * share);
            deletes.put(end.getKey(), RecordsToDelete.beforeOffset(before));
            deleted += before;
        }
        admin.deleteRecords(deletes).all().get();
        return deleted;
    }

    @Test
    void shouldAcceptExactlyOneOfRacingCommandsPerVersion() throws Exception {
        long start = System.nanoTime();
        startBroker();
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = topics("raced");
        startStreams(type, "a");
        int aggregates = 50;
        int attemptsPerGateway = SOAK ? 40 : 5;
        Map<String, List<CommandResult<InvoiceEvent, Invoice>>> byInvoice = new ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        List<CommandGateway<InvoiceCommand, InvoiceEvent, Invoice>> gateways = new ArrayList<>();
        for (int g = 0; g < 4; g++) {
            gateways.add(CommandGateway.builder(type, bootstrap).timeout(Duration.ofSeconds(60)).build());
        }
        try {
            List<CompletableFuture<CommandResult<InvoiceEvent, Invoice>>> creates = new ArrayList<>();
            for (int a = 0; a < aggregates; a++) {
                creates.add(gateways.get(0).send("INV-R-" + a, new InvoiceCommand.CreateInvoice(new Customer("Ada", "ada@example.com"),
                        LocalDate.of(2026, 11, 22), LocalDate.of(2026, 12, 22), "EUR"), ExpectedVersion.noStream()));
            }
            CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).get();
            // Every gateway works on every invoice at once, each invoice's attempts one after the other,
            // each expecting the version its last answer named: per invoice, four writers race.
            List<CompletableFuture<Long>> racers = new ArrayList<>();
            for (int g = 0; g < gateways.size(); g++) {
                CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> gateway = gateways.get(g);
                for (int a = 0; a < aggregates; a++) {
                    String invoice = "INV-R-" + a;
                    CompletableFuture<Long> chain = CompletableFuture.completedFuture(1L);
                    for (int attempt = 0; attempt < attemptsPerGateway; attempt++) {
                        LineItem line = new LineItem("li-" + g + "-" + attempt, "item", 1, BigDecimal.ONE, BigDecimal.ZERO);
                        chain = chain.thenCompose(known -> gateway.send(invoice, new InvoiceCommand.AddLineItem(line),
                                ExpectedVersion.exactly(known))).thenApply(result -> {
                                    sent.incrementAndGet();
                                    byInvoice.computeIfAbsent(invoice, id -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(result);
                                    return result.version();
                                });
                    }
                    racers.add(chain);
                }
            }
            CompletableFuture.allOf(racers.toArray(CompletableFuture[]::new)).get();
        } finally {
            gateways.forEach(CommandGateway::close);
        }

        long conflicts = 0;
        for (Map.Entry<String, List<CommandResult<InvoiceEvent, Invoice>>> entry : byInvoice.entrySet()) {
            List<Long> acceptedVersions = entry.getValue().stream().filter(r -> r.kind() == CommandResult.Kind.ACCEPTED)
                    .map(CommandResult::version).sorted().toList();
            long finalVersion = 1 + acceptedVersions.size();
            assertThat(acceptedVersions).as(entry.getKey() + ": one accepted command per version, none skipped")
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(2, finalVersion).boxed().toList());
            assertThat(entry.getValue()).as(entry.getKey()).allMatch(r -> r.kind() == CommandResult.Kind.ACCEPTED
                    || r.kind() == CommandResult.Kind.CONFLICT);
            conflicts += entry.getValue().stream().filter(r -> r.kind() == CommandResult.Kind.CONFLICT).count();
        }
        assertThat(byInvoice).hasSize(aggregates);
        assertThat(conflicts).as("the racers did collide").isPositive();
        AuditReport report = audit(type);
        ReliabilitySummary.record("4 gateways race exactly(v) on 50 invoices (" + conflicts + " conflicts)", sent.get() + aggregates, "concurrency",
                0, report, start);
        assertClean(report, sent.get() + aggregates);
    }

    private static void run(InvoiceLoad load) {
        try {
            load.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
