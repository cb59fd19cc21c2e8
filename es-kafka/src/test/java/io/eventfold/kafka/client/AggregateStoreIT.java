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
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import static io.eventfold.kafka.Cluster.accountsWithTopics;
import static io.eventfold.kafka.Cluster.streamsProps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading state from a running topology on a real broker: read-your-writes, past results, the owning instance. */
class AggregateStoreIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path stateDir;

    @Test
    void shouldReadYourWritesAndFindPastResults() {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "query", 2);
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "query-app", stateDir), accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, accounts, Duration.ofSeconds(30));
             AggregateStore<AccountCommand, AccountEvent, Account> store = AggregateStore.of(streams, accounts)) {
            gateway.send("acc-1", new Open("alice"), ExpectedVersion.noStream()).join();
            CommandResult<AccountEvent, Account> deposited = gateway.send("acc-1", new Deposit(25), ExpectedVersion.exactly(1)).join();

            Snapshot<Account> snapshot = store.awaitVersion("acc-1", deposited.version(), Duration.ofSeconds(10)).join();

            assertThat(snapshot.version()).isEqualTo(2);
            assertThat(snapshot.state().balance()).isEqualTo(25);
            assertThat(store.commandResult("acc-1", deposited.commandId()))
                    .contains(new CommandResult.AlreadyAccepted<>(deposited.commandId(), "acc-1", 2, 1));
            assertThat(store.commandResult("acc-1", "never-sent")).isEmpty();
            assertThat(store.get("acc-unknown")).isEmpty();
            // An aggregate without events is at version 0: waiting for that ends at once.
            assertThat(store.awaitVersion("acc-unknown", 0, Duration.ofMillis(500)).join())
                    .isEqualTo(Snapshot.initial("acc-unknown", accounts.aggregate()));
            assertThatThrownBy(() -> store.awaitVersion("acc-1", 9, Duration.ofMillis(300)).join())
                    .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        }
    }

    @Test
    void shouldNameTheInstanceThatOwnsAnAggregate(@TempDir Path otherStateDir) {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "spread", 4);
        Properties oneProps = streamsProps(kafka, "spread-app", stateDir);
        oneProps.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:7001");
        Properties twoProps = streamsProps(kafka, "spread-app", otherStateDir);
        twoProps.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:7002");
        try (KafkaStreams one = EventfoldStreams.start(oneProps, accounts);
             KafkaStreams two = EventfoldStreams.start(twoProps, accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, accounts, Duration.ofSeconds(60))) {
            awaitBalanced(one, two);
            for (int a = 0; a < 8; a++) {
                gateway.send("acc-" + a, new Open("owner-" + a), ExpectedVersion.noStream()).join();
            }
            try (AggregateStore<AccountCommand, AccountEvent, Account> storeOne = AggregateStore.of(one, accounts);
                 AggregateStore<AccountCommand, AccountEvent, Account> storeTwo = AggregateStore.of(two, accounts)) {
                int elsewhere = 0;
                for (int a = 0; a < 8; a++) {
                    String id = "acc-" + a;
                    Optional<Snapshot<Account>> found;
                    try {
                        found = storeOne.get(id);
                    } catch (AggregateElsewhereException e) {
                        elsewhere++;
                        assertThat(e.activeHost().port()).isEqualTo(7002);
                        assertThat(e.aggregateId()).isEqualTo(id);
                        found = storeTwo.get(id);
                    }
                    assertThat(found).get().extracting(Snapshot::version).isEqualTo(1L);
                }
                assertThat(elsewhere).isBetween(1, 7);
            }
        }
    }

    private static void awaitBalanced(KafkaStreams one, KafkaStreams two) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (tasks(one) == 0 || tasks(two) == 0 || one.state() != KafkaStreams.State.RUNNING
                || two.state() != KafkaStreams.State.RUNNING) {
            assertThat(System.nanoTime()).as("both instances own tasks within 60 s").isLessThan(deadline);
            Cluster.sleep(100);
        }
    }

    private static long tasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().mapToLong(thread -> thread.activeTasks().size()).sum();
    }
}
