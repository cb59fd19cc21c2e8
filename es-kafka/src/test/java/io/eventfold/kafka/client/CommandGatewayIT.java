package io.eventfold.kafka.client;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.Cluster;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.audit.AuditReport;
import io.eventfold.kafka.audit.LogAudit;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Snapshot;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.core.account.AccountEvent;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.eventfold.kafka.Cluster.accountsWithTopics;
import static io.eventfold.kafka.Cluster.streamsProps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client side on a real broker: gateways, read-your-writes, timeouts and recovery. */
class CommandGatewayIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path stateDir;

    private CommandGateway<AccountCommand, AccountEvent, Account> gateway(
            AggregateType<AccountCommand, AccountEvent, Account> type, Duration timeout) {
        return CommandGateway.builder(type, kafka.bootstrapServers()).timeout(timeout).build();
    }

    @Test
    void shouldCompleteEveryFutureOfTwoGatewaysWithItsOwnResult() {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "busy", 3);
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "busy-app", stateDir), accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> first = gateway(accounts, Duration.ofSeconds(60));
             CommandGateway<AccountCommand, AccountEvent, Account> second = gateway(accounts, Duration.ofSeconds(60))) {
            for (int a = 0; a < 50; a++) {
                first.send("acc-" + a, new Open("owner-" + a), ExpectedVersion.noStream()).join();
            }

            Map<String, Integer> deposits = new HashMap<>();
            List<Sent> sent = new ArrayList<>();
            Random random = new Random(3);
            for (int i = 0; i < 500; i++) {
                for (CommandGateway<AccountCommand, AccountEvent, Account> gateway : List.of(first, second)) {
                    Command<AccountCommand> command = Command.of("acc-" + random.nextInt(50), (AccountCommand) new Deposit(1));
                    deposits.merge(command.aggregateId(), 1, Integer::sum);
                    sent.add(new Sent(gateway, command, gateway.send(command)));
                }
            }

            for (Sent each : sent) {
                CommandResult<AccountEvent, Account> result = each.future.join();
                assertThat(result.commandId()).isEqualTo(each.command.commandId());
                assertThat(result.aggregateId()).isEqualTo(each.command.aggregateId());
                assertThat(result.kind()).isEqualTo(CommandResult.Kind.ACCEPTED);
            }
            assertThat(first.pendingCount()).isZero();
            assertThat(second.pendingCount()).isZero();
            try (AggregateStore<AccountCommand, AccountEvent, Account> store = AggregateStore.of(streams, accounts)) {
                deposits.forEach((account, count) -> assertThat(store.get(account)).get()
                        .extracting(snapshot -> snapshot.state().balance()).isEqualTo((long) count));
            }
        }
    }

    private record Sent(CommandGateway<AccountCommand, AccountEvent, Account> gateway, Command<AccountCommand> command,
                        CompletableFuture<CommandResult<AccountEvent, Account>> future) {
    }

    @Test
    void shouldTimeOutWithoutTheApplicationIgnoreOldResultsAndAnswerARetryOnceItRuns() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "late", 2);
        List<Command<AccountCommand>> earlier = new ArrayList<>();
        KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "late-app", stateDir), accounts);
        try (CommandGateway<AccountCommand, AccountEvent, Account> first = gateway(accounts, Duration.ofSeconds(60))) {
            for (int a = 0; a < 10; a++) {
                Command<AccountCommand> command = Command.of("acc-" + a, (AccountCommand) new Open("owner-" + a));
                earlier.add(command);
                first.send(command).join();
            }
        }
        Cluster.stop(streams);

        try (CommandGateway<AccountCommand, AccountEvent, Account> late = gateway(accounts, Duration.ofSeconds(2))) {
            // Retries of handled commands: their results are on the topic, but from before this gateway started.
            List<CompletableFuture<CommandResult<AccountEvent, Account>>> retries =
                    earlier.stream().map(late::send).toList();
            Command<AccountCommand> fresh = Command.of("acc-0", (AccountCommand) new Deposit(7));
            CompletableFuture<CommandResult<AccountEvent, Account>> freshFuture = late.send(fresh);

            for (CompletableFuture<CommandResult<AccountEvent, Account>> retry : retries) {
                assertThatThrownBy(retry::join).isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(CommandTimeoutException.class);
            }
            assertThatThrownBy(freshFuture::join).cause().isInstanceOfSatisfying(CommandTimeoutException.class, timeout -> {
                assertThat(timeout.commandId()).isEqualTo(fresh.commandId());
                assertThat(timeout.aggregateId()).isEqualTo("acc-0");
            });
            assertThat(late.pendingCount()).isZero();

            try (KafkaStreams restarted = EventfoldStreams.start(streamsProps(kafka, "late-app", stateDir), accounts)) {
                CommandResult<AccountEvent, Account> result = late.send(fresh).get(30, TimeUnit.SECONDS);

                assertThat(result.kind()).isEqualTo(CommandResult.Kind.ACCEPTED);
                assertThat(result.version()).isEqualTo(2);
                assertThat(late.send(fresh).get(30, TimeUnit.SECONDS)).isEqualTo(result);
                assertThat(late.pendingCount()).isZero();
                AuditReport audit = LogAudit.of(accounts).run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));
                assertThat(audit.violations()).isEmpty();
                assertThat(audit.commands()).isEqualTo(11);   // 10 opens and the fresh deposit, whatever the retries
                assertThat(audit.duplicateResults()).isPositive();
                assertThat(audit.events()).isEqualTo(11);
            }
        }
    }

    @Test
    void shouldReadYourWritesAndFindPastResults() {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "query", 2);
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "query-app", stateDir), accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = gateway(accounts, Duration.ofSeconds(30));
             AggregateStore<AccountCommand, AccountEvent, Account> store = AggregateStore.of(streams, accounts)) {
            gateway.send("acc-1", new Open("alice"), ExpectedVersion.noStream()).join();
            CommandResult<AccountEvent, Account> deposited = gateway.send("acc-1", new Deposit(25), ExpectedVersion.exactly(1)).join();

            Snapshot<Account> snapshot = store.awaitVersion("acc-1", deposited.version(), Duration.ofSeconds(10)).join();

            assertThat(snapshot.version()).isEqualTo(2);
            assertThat(snapshot.state().balance()).isEqualTo(25);
            assertThat(store.commandResult("acc-1", deposited.commandId())).contains(deposited);
            assertThat(store.commandResult("acc-1", "never-sent")).isEmpty();
            assertThat(store.get("acc-unknown")).isEmpty();
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
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = gateway(accounts, Duration.ofSeconds(60))) {
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

    @Test
    void shouldFailOutstandingFuturesOnClose() {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "closing", 1);
        CommandGateway<AccountCommand, AccountEvent, Account> gateway = gateway(accounts, Duration.ofSeconds(60));
        CompletableFuture<CommandResult<AccountEvent, Account>> future = gateway.send("acc-1", new Open("x"), ExpectedVersion.any());

        gateway.close();

        assertThatThrownBy(future::join).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the gateway was closed before a result arrived");
        assertThat(gateway.pendingCount()).isZero();
    }
}
