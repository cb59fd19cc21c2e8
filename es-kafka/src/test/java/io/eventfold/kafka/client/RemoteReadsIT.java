package io.eventfold.kafka.client;

import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Snapshot;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.Deposit;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.Cluster;
import io.eventfold.kafka.EventfoldStreams;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static io.eventfold.kafka.Cluster.accountsWithTopics;
import static io.eventfold.kafka.Cluster.streamsProps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two instances of one application in one JVM, each with its own state directory and
 * {@code application.server}: every read is answered the same from both, through the HTTP
 * transport; with one instance gone, reads fail with the retryable error (or are answered by a
 * standby within the bound) until the rebalance settles, then are answered again.
 */
class RemoteReadsIT {

    private static final int AGGREGATES = 8;

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path oneDir;
    @TempDir
    Path twoDir;

    /** One instance: its transport, its streams, its store. */
    private static final class Instance implements AutoCloseable {
        final HttpStoreTransport transport;
        final KafkaStreams streams;
        final AggregateStore<AccountCommand, AccountEvent, Account> store;

        Instance(AggregateType<AccountCommand, AccountEvent, Account> type, String applicationId, Path stateDir,
                 int standbys) throws IOException {
            transport = HttpStoreTransport.start(new InetSocketAddress("localhost", 0));
            Properties props = streamsProps(kafka, applicationId, stateDir);
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + transport.port());
            props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbys);
            // A closed instance stays in the group until its session ends: long enough to see reads fail, short for the test.
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
            streams = EventfoldStreams.start(props, type);
            store = AggregateStore.of(streams, type, transport);
        }

        int port() {
            return transport.port();
        }

        @Override
        public void close() {
            store.close();
            streams.close(Duration.ofSeconds(30));
            transport.close();
        }
    }

    @Test
    void shouldAnswerEveryAggregateTheSameFromEitherInstance() throws IOException {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "remote", 4);
        try (Instance one = new Instance(accounts, "remote-app", oneDir, 0);
             Instance two = new Instance(accounts, "remote-app", twoDir, 0);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, accounts, Duration.ofSeconds(60))) {
            awaitBalanced(one.streams, two.streams);
            Map<String, CommandResult<AccountEvent, Account>> deposits = depositEach(gateway);

            int ownedByOne = 0;
            int ownedByTwo = 0;
            for (Map.Entry<String, CommandResult<AccountEvent, Account>> deposit : deposits.entrySet()) {
                String id = deposit.getKey();
                int owner = one.store.metadata(id).activeHost().port();
                ownedByOne += owner == one.port() ? 1 : 0;
                ownedByTwo += owner == two.port() ? 1 : 0;
                String commandId = deposit.getValue().commandId();

                Optional<Snapshot<Account>> fromOne = one.store.get(id);
                assertThat(fromOne).get().extracting(Snapshot::version).isEqualTo(2L);
                assertThat(fromOne.get().state().balance()).isEqualTo(10);
                assertThat(two.store.get(id)).isEqualTo(fromOne);
                assertThat(one.store.awaitVersion(id, 2, Duration.ofSeconds(10)).join()).isEqualTo(fromOne.get());
                assertThat(two.store.awaitVersion(id, 2, Duration.ofSeconds(10)).join()).isEqualTo(fromOne.get());
                assertThat(one.store.commandResult(id, commandId))
                        .contains(new CommandResult.AlreadyAccepted<>(commandId, id, 2, 1));
                assertThat(two.store.commandResult(id, commandId)).isEqualTo(one.store.commandResult(id, commandId));
                assertThat(one.store.commandResult(id, "never-sent")).isEmpty();
                assertThat(two.store.commandResult(id, "never-sent")).isEmpty();
            }
            assertThat(ownedByOne).as("aggregates owned by instance one").isPositive();
            assertThat(ownedByTwo).as("aggregates owned by instance two").isPositive();
            assertThat(ownedByOne + ownedByTwo).isEqualTo(AGGREGATES);
            assertThat(one.store.get("acc-unknown")).isEmpty();
            assertThat(two.store.get("acc-unknown")).isEmpty();

            // Read your writes on the instance that does not own the aggregate: the owner waits and answers.
            String remote = deposits.keySet().stream().filter(id -> one.store.metadata(id).activeHost().port() == two.port())
                    .findFirst().orElseThrow();
            CompletableFuture<Snapshot<Account>> atThree = one.store.awaitVersion(remote, 3, Duration.ofSeconds(30));
            gateway.send(remote, new Deposit(5), ExpectedVersion.exactly(2)).join();
            assertThat(atThree.join().state().balance()).isEqualTo(15);
            assertThatThrownBy(() -> one.store.awaitVersion(remote, 9, Duration.ofMillis(500)).join())
                    .cause().isInstanceOf(java.util.concurrent.TimeoutException.class)
                    .hasMessageContaining("did not reach version 9").hasMessageContaining("the last version seen was 3");
        }
    }

    @Test
    void shouldFailRetryablyOrReadAStandbyUntilTheRebalanceSettles() throws IOException {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "failover", 2);
        Instance two = null;
        try (Instance one = new Instance(accounts, "failover-app", oneDir, 1);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, accounts, Duration.ofSeconds(60))) {
            two = new Instance(accounts, "failover-app", twoDir, 1);
            int twoPort = two.port();
            awaitBalanced(one.streams, two.streams);
            Map<String, CommandResult<AccountEvent, Account>> deposits = depositEach(gateway);
            List<String> ownedByTwo = new ArrayList<>();
            Map<String, Snapshot<Account>> before = new LinkedHashMap<>();
            for (String id : deposits.keySet()) {
                before.put(id, one.store.get(id).orElseThrow());
                if (one.store.metadata(id).activeHost().port() == two.port()) {
                    ownedByTwo.add(id);
                }
            }
            assertThat(ownedByTwo).isNotEmpty();
            String id = ownedByTwo.get(0);
            int partition = one.store.metadata(id).partition();
            // Instance one's standby of two's partition has applied every committed record (lag at most the commit marker).
            awaitCondition(() -> lag(one.streams, accounts.stores().snapshots(), partition) <= 1
                    && lag(one.streams, accounts.stores().commandIds(), partition) <= 1, "the standby caught up");

            two.close();
            two = null;

            // The closed instance is still the owner until its session ends: the owner does not answer.
            assertThat(one.store.metadata(id).activeHost().port()).isEqualTo(twoPort);
            assertThatThrownBy(() -> one.store.get(id))
                    .isInstanceOf(AggregateUnavailableException.class)
                    .hasMessageContaining("localhost:" + twoPort + " did not answer")
                    .hasMessageContaining("retry once the rebalance settles");
            assertThatThrownBy(() -> one.store.commandResult(id, deposits.get(id).commandId()))
                    .isInstanceOf(AggregateUnavailableException.class);
            // The standby here answers within the bound, with the committed state.
            assertThat(one.store.get(id, Staleness.atMost(1))).contains(before.get(id));
            assertThat(one.store.commandResult(id, deposits.get(id).commandId(), Staleness.atMost(1)))
                    .contains(new CommandResult.AlreadyAccepted<>(deposits.get(id).commandId(), id, 2, 1));

            // Once the rebalance settles instance one owns everything and answers every read.
            awaitCondition(() -> answers(one.store, ownedByTwo), "instance one answers for every aggregate");
            for (String each : deposits.keySet()) {
                assertThat(one.store.get(each)).contains(before.get(each));
                assertThat(one.store.awaitVersion(each, 2, Duration.ofSeconds(10)).join()).isEqualTo(before.get(each));
                assertThat(one.store.commandResult(each, deposits.get(each).commandId()))
                        .contains(new CommandResult.AlreadyAccepted<>(deposits.get(each).commandId(), each, 2, 1));
            }
        } finally {
            if (two != null) {
                two.close();
            }
        }
    }

    private static boolean answers(AggregateStore<AccountCommand, AccountEvent, Account> store, List<String> ids) {
        try {
            ids.forEach(store::get);
            return true;
        } catch (AggregateUnavailableException retryable) {
            return false;
        }
    }

    private static long lag(KafkaStreams streams, String store, int partition) {
        LagInfo lag = streams.allLocalStorePartitionLags().getOrDefault(store, Map.of()).get(partition);
        return lag == null ? Long.MAX_VALUE : lag.offsetLag();
    }

    /** Opens acc-0..7 and deposits 10 in each; the deposit's result by aggregate. */
    private static Map<String, CommandResult<AccountEvent, Account>> depositEach(
            CommandGateway<AccountCommand, AccountEvent, Account> gateway) {
        Map<String, CommandResult<AccountEvent, Account>> deposits = new LinkedHashMap<>();
        for (int a = 0; a < AGGREGATES; a++) {
            String id = "acc-" + a;
            gateway.send(id, new Open("owner-" + a), ExpectedVersion.noStream()).join();
            deposits.put(id, gateway.send(id, new Deposit(10), ExpectedVersion.exactly(1)).join());
        }
        return deposits;
    }

    private static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 90 s").isLessThan(deadline);
            Cluster.sleep(100);
        }
    }

    private static void awaitBalanced(KafkaStreams one, KafkaStreams two) {
        awaitCondition(() -> one.state() == KafkaStreams.State.RUNNING && two.state() == KafkaStreams.State.RUNNING
                && tasks(one) > 0 && tasks(two) > 0, "both instances own tasks");
    }

    private static long tasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().mapToLong(thread -> thread.activeTasks().size()).sum();
    }
}
