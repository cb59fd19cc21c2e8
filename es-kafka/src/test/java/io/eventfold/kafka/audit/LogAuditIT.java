package io.eventfold.kafka.audit;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.Cluster;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.kafka.json.EnvelopeSerdes;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.HistoryInvariants;
import io.eventfold.core.Rejection;
import io.eventfold.core.Snapshot;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit finds each kind of broken guarantee in topics written by hand to break them, and
 * only those: not on a cluster whose results and oldest commands retention has deleted, nor for
 * command records the topology dead-lettered.
 */
class LogAuditIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    private static final Instant AT = Instant.parse("2026-11-22T08:00:00Z");
    private static final int PARTITIONS = 2;

    @TempDir
    Path stateDir;

    @Test
    void shouldListEveryBrokenGuarantee() {
        AggregateType<AccountCommand, AccountEvent, Account> type = Cluster.accountsWithTopics(kafka, "broken", 1);
        EnvelopeSerdes<AccountCommand, AccountEvent, Account> serdes = type.serdes();
        Account open = new Account(Account.Status.OPEN, "alice", 0);
        CommandResult<AccountEvent, Account> rejected4 = new CommandResult.Rejected<>("c4", "acc-1", 1, new Rejection("NO", "no"));
        CommandResult<AccountEvent, Account> failed4 = new CommandResult.Failed<>("c4", "acc-1", 1, "java.lang.IllegalStateException", "bug");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(EventfoldConfig.commandProducer(kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (String id : List.of("c1", "c2", "c3", "c4")) {
                producer.send(new ProducerRecord<>(type.topics().commands(), "acc-1",
                        serdes.commands().serializer().serialize("", new Command<>(id, "acc-1", ExpectedVersion.any(),
                                new AccountCommand.Open("alice"), Map.of()))));
            }
            Event<AccountEvent> opened = new Event<>("acc-1", 1, "c1", AT, new AccountEvent.Opened("alice"));
            Event<AccountEvent> skipped = new Event<>("acc-1", 3, "c1", AT, new AccountEvent.Deposited(5));
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("",
                    new CommandResult.Accepted<>("c1", "acc-1", 1, List.of(opened), open)));
            CommandResult<AccountEvent, Account> rejected = new CommandResult.Rejected<>("c2", "acc-1", 1, new Rejection("NO", "no"));
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("", rejected));
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("", rejected));
            // c3 failed twice, then was handled: allowed, a failed command is not remembered.
            CommandResult<AccountEvent, Account> failed3 = new CommandResult.Failed<>("c3", "acc-1", 1, "java.lang.IllegalStateException", "bug");
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("", failed3));
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("", failed3));
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("",
                    new CommandResult.Rejected<>("c3", "acc-1", 1, new Rejection("NO", "no"))));
            // c4 failed after it was answered: a broken guarantee.
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("", rejected4));
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("", failed4));
            send(producer, type.topics().events(), serdes.events().serializer().serialize("", opened));
            send(producer, type.topics().events(), serdes.events().serializer().serialize("", skipped));
            send(producer, type.topics().snapshots(), serdes.snapshots().serializer().serialize("", new Snapshot<>("acc-1", 1, open)));
            producer.flush();
        }

        AuditReport report = LogAudit.of(type).run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));

        assertThat(report.clean()).isFalse();
        assertThat(report.violations()).containsExactlyInAnyOrder(
                "command c2 for acc-1 has 2 results: [REJECTED, REJECTED]",
                "command c4 for acc-1 has a result after its final one: [REJECTED, FAILED]",
                "aggregate acc-1: event #2 has version 3, expected 2 (command c1)",
                "aggregate acc-1: latest snapshot is version 1 but the last event is version 3",
                "aggregate acc-1: the state is not the replay of its 2 events",
                "command c1 for acc-1 (ACCEPTED) has 2 events on the events topic, its result says 1");
        assertThat(report.summary()).startsWith("commands 4, results 8 {ACCEPTED=1, REJECTED=4, FAILED=3} (+0 re-sent), "
                + "events 2 of 1 aggregates, dead letters 0: 6 violations");
    }

    /**
     * A cluster months old: results are kept a day, commands a week, events forever. Commands
     * handled "back then" keep their events but have lost their results; the older half of their
     * records is gone too. Commands handled "lately" have everything.
     */
    @Test
    void shouldAuditTheWindowTheRetentionsLeaveOnAMonthsOldCluster() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> type = Cluster.accountsWithTopics(kafka, "aged", PARTITIONS);
        List<AuditProgress> progress = new CopyOnWriteArrayList<>();
        try (KafkaStreams streams = EventfoldStreams.start(Cluster.streamsProps(kafka, "aged-app", stateDir), type);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, type, Duration.ofSeconds(60));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            List<CommandResult<AccountEvent, Account>> backThen = new ArrayList<>();
            Command<AccountCommand> sentAgainLater = null;
            for (int a = 0; a < 10; a++) {
                String account = "acc-" + a;
                backThen.add(gateway.send(account, new AccountCommand.Open("owner-" + a), ExpectedVersion.noStream()).join());
                for (int d = 0; d < 3; d++) {
                    Command<AccountCommand> deposit = Command.of(account, (AccountCommand) new AccountCommand.Deposit(10));
                    backThen.add(gateway.send(deposit).join());
                    sentAgainLater = deposit;
                }
                backThen.add(gateway.send(account, new AccountCommand.Withdraw(1_000), ExpectedVersion.any()).join());
            }
            assertThat(backThen).extracting(CommandResult::kind).containsOnly(CommandResult.Kind.ACCEPTED, CommandResult.Kind.REJECTED);
            long eventsBackThen = backThen.stream().mapToLong(HistoryInvariants::eventsAnnounced).sum();

            // Retention, by hand: every result of back then, and the older half of the command records.
            Map<TopicPartition, Long> resultsEnd = endOffsets(admin, type.topics().commandResults());
            Map<TopicPartition, Long> commandsEnd = endOffsets(admin, type.topics().commands());
            Map<TopicPartition, Long> commandsCut = commandsEnd.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, end -> end.getValue() / 2));
            deleteBefore(admin, resultsEnd);
            deleteBefore(admin, commandsCut);

            // Lately: a deposit on each old account, three new accounts, one refusal, one old command sent again.
            List<CommandResult<AccountEvent, Account>> lately = new ArrayList<>();
            for (int a = 0; a < 13; a++) {
                lately.add(a < 10 ? gateway.send("acc-" + a, new AccountCommand.Deposit(1), ExpectedVersion.any()).join()
                        : gateway.send("acc-" + a, new AccountCommand.Open("owner-" + a), ExpectedVersion.noStream()).join());
            }
            lately.add(gateway.send("acc-0", new AccountCommand.Withdraw(1_000), ExpectedVersion.any()).join());
            assertThat(gateway.send(sentAgainLater).join()).isInstanceOf(CommandResult.AlreadyAccepted.class);

            AuditReport report = LogAudit.of(type).progress(progress::add)
                    .run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));

            assertThat(report.violations()).isEmpty();
            assertThat(report.resultsWindow()).isEqualTo(new RetentionWindow(type.topics().commandResults(), PARTITIONS,
                    (int) resultsEnd.values().stream().filter(end -> end > 0).count(), sum(resultsEnd),
                    report.resultsWindow().oldestRecordMillis()));
            assertThat(report.commandsWindow()).isEqualTo(new RetentionWindow(type.topics().commands(), PARTITIONS,
                    (int) commandsCut.values().stream().filter(cut -> cut > 0).count(), sum(commandsCut),
                    report.commandsWindow().oldestRecordMillis()));
            assertThat(report.commandsOutsideWindow()).isEqualTo(sum(commandsEnd) - sum(commandsCut));
            assertThat(report.eventsOutsideWindow()).isEqualTo(eventsBackThen);
            assertThat(report.commands()).isEqualTo(lately.size() + 1);
            assertThat(report.results()).isEqualTo(lately.size());
            assertThat(report.duplicateResults()).isEqualTo(1);
            assertThat(report.events()).isEqualTo(eventsBackThen + lately.stream().mapToLong(HistoryInvariants::eventsAnnounced).sum());
            assertThat(report.aggregates()).isEqualTo(13);
            assertThat(report.summary()).contains("window: " + report.resultsWindow().describe() + ", "
                    + report.commandsWindow().describe() + "; before it, not checked for a result: " + report.commandsOutsideWindow()
                    + " command records, " + eventsBackThen + " events");
            assertThat(progress.stream().filter(AuditProgress::finished).filter(read -> read.topic().equals(type.topics().events()))
                    .mapToLong(AuditProgress::records).sum()).isEqualTo(report.events());
            System.out.println("months-old cluster: " + report.summary()); // the figures docs/reliability.md quotes

            // A history broken inside the window is still found: an event two versions ahead, of no command.
            long acc0Version = lately.get(0).version();
            try (KafkaProducer<String, byte[]> producer = producer()) {
                Event<AccountEvent> forged = new Event<>("acc-0", acc0Version + 2, "forged", AT, new AccountEvent.Deposited(1));
                RecordHeaders headers = new RecordHeaders();
                EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, "forged");
                EventfoldHeaders.put(headers, EventfoldHeaders.VERSION, Long.toString(forged.version()));
                EventfoldHeaders.put(headers, EventfoldHeaders.EVENT_TYPE, "Deposited");
                producer.send(new ProducerRecord<>(type.topics().events(), null, "acc-0",
                        type.serdes().events().serializer().serialize("", forged), headers)).get();
            }
            AuditReport broken = LogAudit.of(type).run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));

            assertThat(broken.violations()).containsExactlyInAnyOrder(
                    "aggregate acc-0: event #" + (acc0Version + 1) + " has version " + (acc0Version + 2) + ", expected "
                            + (acc0Version + 1) + " (command forged)",
                    "events of command forged for acc-0 but no result",
                    "aggregate acc-0: latest snapshot is version " + acc0Version + " but the last event is version " + (acc0Version + 2),
                    "aggregate acc-0: the state is not the replay of its " + (acc0Version + 1) + " events");
            assertThat(broken.eventsOutsideWindow()).isEqualTo(eventsBackThen);
        }
    }

    @Test
    void shouldNotExpectAResultForACommandRecordThatWentToTheDeadLetterTopic() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> type = Cluster.accountsWithTopics(kafka, "keyless", PARTITIONS);
        try (KafkaStreams streams = EventfoldStreams.start(Cluster.streamsProps(kafka, "keyless-app", stateDir), type);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, type, Duration.ofSeconds(60));
             KafkaProducer<String, byte[]> producer = producer()) {
            // No key, a command id in its header, a value that names no aggregate: dead-lettered.
            RecordHeaders lost = new RecordHeaders();
            EventfoldHeaders.put(lost, EventfoldHeaders.COMMAND_ID, "lost-1");
            producer.send(new ProducerRecord<String, byte[]>(type.topics().commands(), 0, null, "not json".getBytes(StandardCharsets.UTF_8), lost)).get();
            // A key but no command id anywhere: dead-lettered.
            producer.send(new ProducerRecord<>(type.topics().commands(), "acc-1", "{}".getBytes(StandardCharsets.UTF_8))).get();
            // No key, but an envelope naming its aggregate: answered with a failure on that aggregate's partition.
            byte[] keyless = type.serdes().commands().serializer().serialize("", new Command<>("keyless-1", "acc-9",
                    ExpectedVersion.any(), new AccountCommand.Deposit(1), Map.of()));
            producer.send(new ProducerRecord<>(type.topics().commands(), 1, null, keyless)).get();
            gateway.send("acc-1", new AccountCommand.Open("alice"), ExpectedVersion.noStream()).join();

            AuditReport report = awaitAudit(type, audited -> audited.deadLetters() == 2
                    && audited.resultsByKind().getOrDefault(CommandResult.Kind.FAILED, 0L) == 1);

            assertThat(report.violations()).isEmpty();
            assertThat(report.commands()).isEqualTo(2);
            assertThat(report.resultsByKind()).isEqualTo(Map.of(CommandResult.Kind.ACCEPTED, 1L, CommandResult.Kind.FAILED, 1L));
            assertThat(report.resultsWindow().complete()).isTrue();
            assertThat(report.commandsOutsideWindow()).isZero();
        }
    }

    /**
     * Commands keep arriving, and the topology keeps handling them, while the audit reads: the
     * audit takes the application's position and every topic's end before reading, and leaves
     * out what was handled after, so it finds nothing wrong.
     */
    @Test
    void shouldFindNoViolationWhileCommandsKeepArriving() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> type = Cluster.accountsWithTopics(kafka, "busy", PARTITIONS);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        try (KafkaStreams streams = EventfoldStreams.start(Cluster.streamsProps(kafka, "busy-app", stateDir), type);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, type, Duration.ofSeconds(60));
             KafkaProducer<String, byte[]> producer = producer()) {
            for (int a = 0; a < 10; a++) {
                gateway.send("acc-" + a, new AccountCommand.Open("owner-" + a), ExpectedVersion.noStream()).join();
            }
            Thread sender = new Thread(() -> {
                while (!stop.get()) {
                    long n = sent.get();
                    String account = "acc-" + n % 10;
                    producer.send(new ProducerRecord<>(type.topics().commands(), account, type.serdes().commands().serializer()
                            .serialize("", new Command<>("busy-" + n, account, ExpectedVersion.any(), new AccountCommand.Deposit(1), Map.of()))));
                    sent.incrementAndGet();
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "busy-sender");
            sender.start();
            try {
                while (sent.get() < 300) {
                    Thread.sleep(10); // the topology is busy before the audit starts
                }
                AuditReport report = LogAudit.of(type).application("busy-app")
                        .run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));

                assertThat(report.violations()).as(report.summary()).isEmpty();
                assertThat(report.commands()).isGreaterThan(10);
                assertThat(report.commandsPending()).as("records not yet handled when the audit took the ends").isPositive();
                assertThat(report.commands() + report.commandsPending()).isLessThanOrEqualTo(10 + sent.get());
                System.out.println("commands arriving: " + report.summary());
            } finally {
                stop.set(true);
                sender.join();
            }
        }
    }

    private static AuditReport awaitAudit(AggregateType<?, ?, ?> type, Function<AuditReport, Boolean> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            AuditReport report = LogAudit.of(type).run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));
            if (done.apply(report)) {
                return report;
            }
            assertThat(System.nanoTime()).as("the topology answers or dead-letters every record; last audit: %s", report.summary())
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(EventfoldConfig.commandProducer(kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    private static void deleteBefore(Admin admin, Map<TopicPartition, Long> offsets) throws Exception {
        Map<TopicPartition, RecordsToDelete> deletes = new HashMap<>();
        offsets.forEach((partition, offset) -> deletes.put(partition, RecordsToDelete.beforeOffset(offset)));
        admin.deleteRecords(deletes).all().get();
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, byte[] value) {
        producer.send(new ProducerRecord<>(topic, "acc-1", value));
    }
}
