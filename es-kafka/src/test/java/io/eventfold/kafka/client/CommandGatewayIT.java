package io.eventfold.kafka.client;

import java.util.concurrent.CountDownLatch;
import io.eventfold.core.Rejection;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Admin;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import io.eventfold.kafka.EventfoldHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
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
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.core.account.AccountEvent;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    @Test
    void shouldCompleteEveryFutureOfTwoGatewaysWithItsOwnResult() {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "busy", 3);
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "busy-app", stateDir), accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> first = Cluster.gateway(kafka, accounts, Duration.ofSeconds(60));
             CommandGateway<AccountCommand, AccountEvent, Account> second = Cluster.gateway(kafka, accounts, Duration.ofSeconds(60))) {
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

    @Test
    void shouldCarryTheStateOnlyToAGatewayThatAsksForIt() {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "stateful", 2);
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "stateful-app", stateDir), accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> plain = Cluster.gateway(kafka, accounts, Duration.ofSeconds(60));
             CommandGateway<AccountCommand, AccountEvent, Account> asking = CommandGateway.builder(accounts, kafka.bootstrapServers())
                     .timeout(Duration.ofSeconds(60)).resultsWithState(true).build()) {
            CommandResult<AccountEvent, Account> opened = plain.send("acc-s", new Open("sam"), ExpectedVersion.noStream()).join();
            CommandResult<AccountEvent, Account> deposited = asking.send("acc-s", new Deposit(7), ExpectedVersion.exactly(1)).join();

            assertThat(opened).isInstanceOfSatisfying(CommandResult.Accepted.class, accepted -> {
                assertThat(accepted.events()).hasSize(1);
                assertThat(accepted.state()).isEmpty();
            });
            assertThat(deposited).isInstanceOfSatisfying(CommandResult.Accepted.class, accepted ->
                    assertThat(accepted.state()).contains(new Account(Account.Status.OPEN, "sam", 7)));
        }
    }

    @Test
    void shouldAnswerOneCommandIdSentForTwoAggregatesAsTwoCommands() {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "twins", 2);
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "twins-app", stateDir), accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, accounts, Duration.ofSeconds(60))) {
            CompletableFuture<CommandResult<AccountEvent, Account>> alice =
                    gateway.send(new Command<>("same-id", "acc-alice", ExpectedVersion.noStream(), new Open("alice"), Map.of()));
            CompletableFuture<CommandResult<AccountEvent, Account>> bob =
                    gateway.send(new Command<>("same-id", "acc-bob", ExpectedVersion.noStream(), new Open("bob"), Map.of()));

            assertThat(alice.join().aggregateId()).isEqualTo("acc-alice");
            assertThat(bob.join().aggregateId()).isEqualTo("acc-bob");
            assertThat(List.of(alice.join(), bob.join())).extracting(CommandResult::kind)
                    .containsExactly(CommandResult.Kind.ACCEPTED, CommandResult.Kind.ACCEPTED);
        }
    }

    @Test
    void shouldPassOverUnreadableResultRecordsAndKeepAnswering() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "noisy", 1);
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "noisy-app", stateDir), accounts);
             // Without reply routing, so that the gateway reads the noise on the results topic.
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = CommandGateway.builder(accounts, kafka.bootstrapServers())
                     .timeout(Duration.ofSeconds(60)).replyRouting(false).build();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(EventfoldConfig.commandProducer(kafka.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            String results = accounts.topics().commandResults();
            RecordHeaders nullHeader = new RecordHeaders();
            nullHeader.add(EventfoldHeaders.COMMAND_ID, null);
            producer.send(new ProducerRecord<>(results, null, "acc-1", "{not json".getBytes(StandardCharsets.UTF_8), nullHeader)).get();
            producer.send(new ProducerRecord<>(results, null, (String) null, "{}".getBytes(StandardCharsets.UTF_8),
                    EventfoldHeaders.put(new RecordHeaders(), EventfoldHeaders.COMMAND_ID, "nobody-waits"))).get();
            producer.send(new ProducerRecord<>(results, "acc-1", new byte[] {0, 1, 2})).get();

            CommandResult<AccountEvent, Account> answered = gateway.send("acc-1", new Open("alice"), ExpectedVersion.noStream())
                    .get(30, TimeUnit.SECONDS);

            assertThat(answered.kind()).isEqualTo(CommandResult.Kind.ACCEPTED);
        }
    }

    @Test
    void shouldReadPartitionsAddedToTheResultsTopicAfterItStarted() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "growing", 1);
        Properties fastMetadata = new Properties();
        fastMetadata.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500);
        // Without reply routing: the result below is written to the results topic alone.
        try (CommandGateway<AccountCommand, AccountEvent, Account> gateway = CommandGateway.builder(accounts, kafka.bootstrapServers())
                     .timeout(Duration.ofSeconds(60)).consumerProperties(fastMetadata).replyRouting(false).build();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(EventfoldConfig.commandProducer(kafka.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            Command<AccountCommand> command = new Command<>("c-new-partition", "acc-1", ExpectedVersion.any(), new Deposit(1), Map.of());
            CompletableFuture<CommandResult<AccountEvent, Account>> future = gateway.send(command);
            admin.createPartitions(Map.of(accounts.topics().commandResults(), NewPartitions.increaseTo(2))).all().get(30, TimeUnit.SECONDS);
            Cluster.awaitTopicMetadata(admin, Map.of(accounts.topics().commandResults(), 2));
            CommandResult<AccountEvent, Account> result = new CommandResult.Rejected<>("c-new-partition", "acc-1", 0,
                    new Rejection("NOT_OPEN", "account is NEW"));

            // A result written where the gateway did not read when it started: the partition added just now.
            producer.send(new ProducerRecord<>(accounts.topics().commandResults(), 1, "acc-1",
                    accounts.serdes().results().serializer().serialize("", result),
                    EventfoldHeaders.put(new RecordHeaders(), EventfoldHeaders.COMMAND_ID, "c-new-partition"))).get();

            assertThat(future.get(30, TimeUnit.SECONDS)).isEqualTo(result);
        }
    }

    @Test
    void shouldNotHoldBackOneResultBehindAnotherCallersSlowCallback() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "patient", 1);
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "patient-app", stateDir), accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, accounts, Duration.ofSeconds(60))) {
            gateway.send("acc-slow", new Open("slow"), ExpectedVersion.noStream()).get(30, TimeUnit.SECONDS);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<CommandResult<AccountEvent, Account>> slow = gateway.send("acc-slow", new Deposit(1), ExpectedVersion.any());
            slow.thenRun(() -> {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            slow.get(30, TimeUnit.SECONDS);

            // The slow callback still holds the thread that completed its future.
            CommandResult<AccountEvent, Account> next = gateway.send("acc-fast", new Open("fast"), ExpectedVersion.noStream())
                    .get(30, TimeUnit.SECONDS);

            assertThat(next.kind()).isEqualTo(CommandResult.Kind.ACCEPTED);
            release.countDown();
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
        try (CommandGateway<AccountCommand, AccountEvent, Account> first = Cluster.gateway(kafka, accounts, Duration.ofSeconds(60))) {
            for (int a = 0; a < 10; a++) {
                Command<AccountCommand> command = Command.of("acc-" + a, (AccountCommand) new Open("owner-" + a));
                earlier.add(command);
                first.send(command).join();
            }
        }
        Cluster.stop(streams);

        try (CommandGateway<AccountCommand, AccountEvent, Account> late = Cluster.gateway(kafka, accounts, Duration.ofSeconds(2))) {
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
                // Sent once more: answered from memory, without the events and the state. (The first send, which
                // timed out, may have been answered after the retry: the retry's future can hold either answer.)
                assertThat(late.send(fresh).get(30, TimeUnit.SECONDS)).satisfiesAnyOf(
                        again -> assertThat(again).isEqualTo(result.redeliveryAnswer().orElseThrow()),
                        again -> assertThat(again).isInstanceOf(CommandResult.Accepted.class)
                                .extracting(CommandResult::version).isEqualTo(2L));
                assertThat(late.pendingCount()).isZero();
                // The retries of the other partition may not be handled yet: audit once the application has caught up.
                AuditReport audit = LogAudit.of(accounts).application("late-app")
                        .run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (audit.commandsPending() > 0) {
                    assertThat(System.nanoTime()).as("the application catches up; last audit: %s", audit.summary()).isLessThan(deadline);
                    Thread.sleep(200);
                    audit = LogAudit.of(accounts).application("late-app")
                            .run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));
                }
                assertThat(audit.violations()).isEmpty();
                assertThat(audit.commands()).isEqualTo(11);   // 10 opens and the fresh deposit, whatever the retries
                assertThat(audit.duplicateResults()).isPositive();
                assertThat(audit.events()).isEqualTo(11);
            }
        }
    }

    @Test
    void shouldFailOutstandingFuturesOnClose() {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "closing", 1);
        CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, accounts, Duration.ofSeconds(60));
        CompletableFuture<CommandResult<AccountEvent, Account>> future = gateway.send("acc-1", new Open("x"), ExpectedVersion.any());

        gateway.close();

        assertThatThrownBy(future::join).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the gateway was closed before a result arrived");
        assertThat(gateway.pendingCount()).isZero();
    }
}
