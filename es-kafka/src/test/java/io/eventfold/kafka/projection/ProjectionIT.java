package io.eventfold.kafka.projection;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.Deposit;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountCommand.Withdraw;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.Cluster;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.client.CommandGateway;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static io.eventfold.kafka.Cluster.accountsWithTopics;
import static io.eventfold.kafka.Cluster.streamsProps;
import static org.assertj.core.api.Assertions.assertThat;

/** A SQL read model fed by a ProjectionRunner applies every event exactly once through failures, restarts and two runners. */
class ProjectionIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void shouldApplyEveryEventExactlyOnceAcrossAFailedBatchACloseAndARestart() throws Exception {
        exactlyOnceAcrossAFailedBatchACloseAndARestart(kafka, dir, "ledger", "jdbc:h2:file:" + dir.resolve("ledger") + ";DB_CLOSE_DELAY=-1");
    }

    /** The scenario, on any database the store supports. */
    static void exactlyOnceAcrossAFailedBatchACloseAndARestart(EmbeddedKafkaExtension kafka, Path dir, String name, String url)
            throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, name, 3);
        Map<String, Long> expected = new TreeMap<>();
        Map<String, Long> versions = new TreeMap<>();
        int events = write(kafka, accounts, name + "-app", dir.resolve("streams"), expected, versions);
        String projection = name + "-balances";
        AccountBalances balances = new AccountBalances(url, projection);
        Properties smallBatches = new Properties();
        smallBatches.put("max.poll.records", 50);

        balances.failAfter(120);
        ProjectionRunner<Event<AccountEvent>> first = ProjectionRunner
                .forEvents(accounts, kafka.bootstrapServers(), projection, balances, balances.store)
                .withConsumerProperties(smallBatches).withRetryBackoff(Duration.ofMillis(100), Duration.ofMillis(100)).start();
        await(() -> first.applied() >= 150, "the first runner applied 150 events");
        first.close();
        assertThat(first.status().state()).isEqualTo(ProjectionStatus.State.STOPPED);
        assertThat(first.status().lastError()).as("the failed batch").get()
                .satisfies(failure -> assertThat(failure.message()).startsWith("simulated failure in the middle of a batch"));

        ProjectionRunner<Event<AccountEvent>> restarted = ProjectionRunner
                .forEvents(accounts, kafka.bootstrapServers(), projection, balances, balances.store)
                .withConsumerProperties(smallBatches).start();
        try {
            await(() -> restarted.status().state() == ProjectionStatus.State.RUNNING, "the restarted runner caught up");

            assertThat(balances.balances()).isEqualTo(expected);
            assertThat(balances.history()).as("every version of every account once, in order")
                    .isEqualTo(versions.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                            e -> LongStream.rangeClosed(1, e.getValue()).boxed().toList(), (a, b) -> a, TreeMap::new)));
            assertThat(first.applied() + restarted.applied()).as("records the two runners applied").isEqualTo(events);
            assertThat(restarted.lag()).isZero();
            assertThat(restarted.status().assigned()).hasSize(3);
            assertThat(restarted.status().live()).get().extracting(Generation::number).isEqualTo(1);
            // The first runner may have applied everything before its close on a slow machine.
            assertThat(restarted.status().lastCommit().isPresent()).as("a commit if it applied anything")
                    .isEqualTo(restarted.applied() > 0);
            assertThat(restarted.status().consecutiveFailures()).isZero();
        } finally {
            restarted.close();
        }
        assertThat(restarted.status().state()).isEqualTo(ProjectionStatus.State.STOPPED);
        assertThat(restarted.lag()).as("a stopped runner has no lag to report").isEqualTo(-1);
        assertThat(restarted.isRunning()).isFalse();
        assertCheckpointsAtTheEnd(kafka, balances, projection, accounts.topics().events());
    }

    @Test
    void shouldShareThePartitionsBetweenTwoRunnersAndApplyEachEventOnce() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "shared", 3);
        Map<String, Long> expected = new TreeMap<>();
        Map<String, Long> versions = new TreeMap<>();
        int events = write(kafka, accounts, "shared-app", dir.resolve("streams"), expected, versions);
        AccountBalances balances = new AccountBalances("jdbc:h2:file:" + dir.resolve("shared") + ";DB_CLOSE_DELAY=-1", "shared-balances");
        Properties smallBatches = new Properties();
        smallBatches.put("max.poll.records", 20);

        try (ProjectionRunner<Event<AccountEvent>> a = ProjectionRunner
                .forEvents(accounts, kafka.bootstrapServers(), "shared-balances", balances, balances.store)
                .withConsumerProperties(smallBatches).start();
             ProjectionRunner<Event<AccountEvent>> b = ProjectionRunner
                     .forEvents(accounts, kafka.bootstrapServers(), "shared-balances", balances, balances.store)
                     .withConsumerProperties(smallBatches).start()) {
            await(() -> balances.historyRows() == events && a.lag() == 0 && b.lag() == 0, "both runners applied every event");
            a.close();
            await(() -> b.status().assigned().size() == 3 && b.status().state() == ProjectionStatus.State.RUNNING,
                    "the other runner took every partition and caught up");

            assertThat(balances.balances()).isEqualTo(expected);
            assertThat(balances.historyRows()).isEqualTo(events);
            assertThat(a.applied() + b.applied()).isEqualTo(events);
        }
    }

    private static void assertCheckpointsAtTheEnd(EmbeddedKafkaExtension kafka, AccountBalances balances, String projection, String topic)
            throws Exception {
        Map<TopicPartition, Long> ends;
        Map<TopicPartition, OffsetAndMetadata> group;
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p,
                            p -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            group = admin.listConsumerGroupOffsets(projection + ".g1").partitionsToOffsetAndMetadata().get();
        }
        try (Connection connection = balances.connect()) {
            Generation g = balances.store.forReading(connection, projection, 1).orElseThrow();
            assertThat(balances.store.positions(connection, g, partitions)).as("checkpoints at the end offsets").isEqualTo(ends);
        }
        assertThat(group).as("the group's advisory offsets follow the checkpoints").allSatisfy((partition, offset) ->
                assertThat(offset.offset()).isLessThanOrEqualTo(ends.get(partition)));
    }

    /** Opens 20 accounts and moves money around; returns how many events were written. */
    static int write(EmbeddedKafkaExtension kafka, AggregateType<AccountCommand, AccountEvent, Account> accounts, String application,
                     Path stateDir, Map<String, Long> expected, Map<String, Long> versions) {
        KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, application, stateDir), accounts);
        // Leaving the group on close lets a second workload of the same application start at once.
        try (CommandGateway<AccountCommand, AccountEvent, Account> gateway =
                     CommandGateway.builder(accounts, kafka.bootstrapServers()).timeout(Duration.ofSeconds(60))
                             .resultsWithState(true).build()) {
            Random random = new Random(11);
            List<CompletableFuture<CommandResult<AccountEvent, Account>>> results = new ArrayList<>();
            for (int a = 0; a < 20; a++) {
                results.add(gateway.send("acc-" + a, new Open("owner-" + a), ExpectedVersion.noStream()));
            }
            results.forEach(CompletableFuture::join);
            for (int i = 0; i < 400; i++) {
                String account = "acc-" + random.nextInt(20);
                AccountCommand payload = random.nextInt(3) == 0 ? new Withdraw(1 + random.nextInt(30)) : new Deposit(1 + random.nextInt(50));
                results.add(gateway.send(Command.of(account, payload)));
            }
            int events = 0;
            for (CompletableFuture<CommandResult<AccountEvent, Account>> future : results) {
                CommandResult<AccountEvent, Account> result = future.join();
                if (result instanceof CommandResult.Accepted<AccountEvent, Account> accepted) {
                    events += accepted.events().size();
                    expected.put(result.aggregateId(), accepted.state().orElseThrow().balance());
                    versions.merge(result.aggregateId(), result.version(), Math::max);
                }
            }
            return events;
        } finally {
            Cluster.stop(streams);
        }
    }

    static void await(Check condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as(what + " within 60 s").isLessThan(deadline);
            Cluster.sleep(50);
        }
    }

    /** A condition that may read the database. */
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }
}
