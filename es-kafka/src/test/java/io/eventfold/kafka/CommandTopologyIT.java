package io.eventfold.kafka;

import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.audit.AuditReport;
import io.eventfold.kafka.audit.LogAudit;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.core.account.AccountEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The command topology on a real broker with exactly_once_v2. */
class CommandTopologyIT {

    private static final int AGGREGATES = 100;
    private static final int COMMANDS_PER_AGGREGATE = 10;
    private static final int PRODUCER_THREADS = 4;

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path stateDir;

    static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    Properties streamsProps(String applicationId) {
        return Cluster.streamsProps(kafka, applicationId, stateDir);
    }

    /** The commands of one aggregate: open, then deposits, withdrawals, stale expectations and a fault. */
    static List<Command<AccountCommand>> commandsFor(String aggregateId, Random random) {
        List<Command<AccountCommand>> commands = new ArrayList<>();
        commands.add(new Command<>(Command.newCommandId(), aggregateId, ExpectedVersion.noStream(), new Open("owner-" + aggregateId), Map.of()));
        for (int i = 1; i < COMMANDS_PER_AGGREGATE; i++) {
            AccountCommand payload = switch (random.nextInt(5)) {
                case 0, 1 -> new Deposit(1 + random.nextInt(100));
                case 2 -> new Withdraw(1 + random.nextInt(150));
                case 3 -> new DepositInParts(List.of(1L + random.nextInt(9), 1L + random.nextInt(9)));
                default -> new Misbehave(Fault.THROW_IN_DECIDE);
            };
            ExpectedVersion expected = random.nextInt(4) == 0 ? ExpectedVersion.exactly(random.nextInt(6)) : ExpectedVersion.any();
            commands.add(new Command<>(Command.newCommandId(), aggregateId, expected, payload, Map.of()));
        }
        return commands;
    }

    /** Sends the commands of the aggregates from several threads; each thread owns a share of the aggregates. */
    static Set<String> sendConcurrently(AggregateType<AccountCommand, AccountEvent, Account> type,
                                        List<List<Command<AccountCommand>>> perAggregate, int from, int to) throws Exception {
        Set<String> sent = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(PRODUCER_THREADS);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                EventfoldConfig.commandProducer(kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < PRODUCER_THREADS; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int a = thread; a < perAggregate.size(); a += PRODUCER_THREADS) {
                        for (Command<AccountCommand> command : perAggregate.get(a).subList(from, to)) {
                            byte[] value = type.serdes().commands().serializer().serialize("", command);
                            producer.send(new ProducerRecord<>(type.topics().commands(), command.aggregateId(), value));
                            sent.add(command.commandId());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
            producer.flush();
        } finally {
            threads.shutdownNow();
        }
        return sent;
    }

    static void awaitResults(AggregateType<?, ?, ?> type, int expected) {
        Properties props = EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "await-" + Command.newCommandId());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(type.topics().commandResults()));
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (seen < expected) {
                assertThat(System.nanoTime()).as("%d of %d results within 120 s", seen, expected).isLessThan(deadline);
                seen += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
    }

    static List<List<Command<AccountCommand>>> workload(long seed) {
        Random random = new Random(seed);
        List<List<Command<AccountCommand>>> perAggregate = new ArrayList<>();
        for (int a = 0; a < AGGREGATES; a++) {
            perAggregate.add(commandsFor("acc-" + a, random));
        }
        return perAggregate;
    }

    static void assertGuarantees(AggregateType<AccountCommand, AccountEvent, Account> type, Set<String> sent) {
        AuditReport audit = LogAudit.of(type).run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));

        assertThat(audit.violations()).isEmpty();
        assertThat(audit.commands()).isEqualTo(sent.size());
        assertThat(audit.results()).isEqualTo(sent.size());
        assertThat(audit.aggregates()).isEqualTo(AGGREGATES);
        // The workload must exercise every path, or the invariants above say little.
        for (CommandResult.Kind kind : CommandResult.Kind.values()) {
            assertThat(audit.resultsByKind().getOrDefault(kind, 0L)).as("%s results", kind).isPositive();
        }
    }

    @Test
    void shouldAnswerEveryCommandOnceWithContiguousEventsAndMatchingSnapshots() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> type = Cluster.accountsWithTopics(kafka, "steady", 3);
        List<List<Command<AccountCommand>>> perAggregate = workload(42);

        try (KafkaStreams streams = EventfoldStreams.start(streamsProps("steady-app"), type)) {
            Set<String> sent = sendConcurrently(type, perAggregate, 0, COMMANDS_PER_AGGREGATE);
            awaitResults(type, sent.size());

            assertThat(sent).hasSize(AGGREGATES * COMMANDS_PER_AGGREGATE);
            assertGuarantees(type, sent);
            assertCommandIdChangelogKeepsTwoRetentionPeriods(type, "steady-app");
        }
    }

    /** Not Kafka Streams' default of the retention plus a day: what a restore reads is bounded by the retention. */
    private void assertCommandIdChangelogKeepsTwoRetentionPeriods(AggregateType<?, ?, ?> type, String applicationId)
            throws Exception {
        String changelog = type.stores().changelogs(applicationId).get(1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, changelog)))
                    .all().get(30, TimeUnit.SECONDS).values().iterator().next();
            long retention = type.commandIdRetention().toMillis();
            assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo(Long.toString(2 * retention));
            assertThat(config.get(TopicConfig.SEGMENT_MS_CONFIG).value()).isEqualTo(Long.toString(retention / 2));
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).contains(TopicConfig.CLEANUP_POLICY_DELETE);
        }
    }

    @Test
    void shouldKeepTheGuaranteesAcrossARestartOfTheApplication() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> type = Cluster.accountsWithTopics(kafka, "restarted", 3);
        List<List<Command<AccountCommand>>> perAggregate = workload(7);
        int half = COMMANDS_PER_AGGREGATE / 2;
        Set<String> sent = ConcurrentHashMap.newKeySet();

        KafkaStreams first = EventfoldStreams.start(streamsProps("restarted-app"), type);
        sent.addAll(sendConcurrently(type, perAggregate, 0, half));
        awaitResults(type, AGGREGATES);
        Cluster.stop(first);

        try (KafkaStreams second = EventfoldStreams.start(streamsProps("restarted-app"), type)) {
            sent.addAll(sendConcurrently(type, perAggregate, half, COMMANDS_PER_AGGREGATE));
            awaitResults(type, sent.size());

            assertGuarantees(type, sent);
        }
    }

    @Test
    void shouldRefuseToStartOnTopicsWithDifferentPartitionCounts() {
        AggregateType<AccountCommand, AccountEvent, Account> type = EventSourcedTopologyTest.accounts("uneven");
        try (Admin admin = admin()) {
            TopicLayout.of(type).create(admin, 2, (short) 1);
            admin.createPartitions(Map.of(type.topics().commands(),
                    org.apache.kafka.clients.admin.NewPartitions.increaseTo(3))).all().get(30, TimeUnit.SECONDS);
            Cluster.awaitTopicMetadata(admin, Map.of(type.topics().commands(), 3));
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventfoldStreams.start(streamsProps("uneven-app"), type))
                .isInstanceOf(TopicLayoutException.class)
                .hasMessageContaining("the topics of aggregate type 'uneven' must have the same number of partitions, but "
                        + "{uneven-commands=3, uneven-events=2, uneven-snapshots=2, uneven-command-results=2}");
    }

    @Test
    void shouldListMissingAndMisconfiguredTopics() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> type = EventSourcedTopologyTest.accounts("partial");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(
                    new org.apache.kafka.clients.admin.NewTopic(type.topics().commands(), 1, (short) 1),
                    new org.apache.kafka.clients.admin.NewTopic(type.topics().events(), 1, (short) 1)
                            .configs(Map.of("retention.ms", "604800000")),
                    new org.apache.kafka.clients.admin.NewTopic(type.topics().snapshots(), 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            Cluster.awaitTopicMetadata(admin, Map.of(
                    type.topics().commands(), 1, type.topics().events(), 1, type.topics().snapshots(), 1));

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TopicLayout.of(type).verify(admin))
                    .isInstanceOfSatisfying(TopicLayoutException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                            "topic 'partial-command-results' does not exist: create it with TopicLayout.create",
                            "topic 'partial-commands-dlq' does not exist: create it with TopicLayout.create",
                            "topic 'partial-replies' does not exist: create it with TopicLayout.create",
                            "topic 'partial-events' has retention.ms=604800000, expected -1: events must be kept forever",
                            "topic 'partial-snapshots' has cleanup.policy=delete, expected compact: compaction keeps each "
                                    + "aggregate's latest snapshot, deletion would remove those of idle aggregates"));
        }
    }
}
