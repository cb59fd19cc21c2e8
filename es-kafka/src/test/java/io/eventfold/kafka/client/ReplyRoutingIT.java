package io.eventfold.kafka.client;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.eventfold.kafka.Cluster.accountsWithTopics;
import static io.eventfold.kafka.Cluster.streamsProps;
import static org.assertj.core.api.Assertions.assertThat;

/** Reply routing on a real broker: each gateway reads the replies to its own commands, through rebalances too. */
class ReplyRoutingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int ACCOUNTS = 30;

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path stateDir;

    @Test
    void shouldHaveEachOfThreeGatewaysReadOnlyTheRepliesToItsOwnCommands() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "routed", 6);
        int perGateway = 300;
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "routed-app", stateDir), accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> first = Cluster.gateway(kafka, accounts, TIMEOUT);
             CommandGateway<AccountCommand, AccountEvent, Account> second = Cluster.gateway(kafka, accounts, TIMEOUT);
             CommandGateway<AccountCommand, AccountEvent, Account> third = Cluster.gateway(kafka, accounts, TIMEOUT);
             CommandGateway<AccountCommand, AccountEvent, Account> unrouted = CommandGateway.builder(accounts, kafka.bootstrapServers())
                     .timeout(TIMEOUT).replyRouting(false).build()) {
            List<CommandGateway<AccountCommand, AccountEvent, Account>> routed = List.of(first, second, third);
            awaitUntil("every gateway owns reply partitions, 6 among them",
                    () -> routed.stream().noneMatch(gateway -> gateway.replyPartitions().isEmpty())
                            && routed.stream().mapToInt(gateway -> gateway.replyPartitions().size()).sum() == 6);
            Set<Integer> all = new HashSet<>();
            routed.forEach(gateway -> all.addAll(gateway.replyPartitions()));
            assertThat(all).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
            openAccounts(first);
            Map<CommandGateway<?, ?, ?>, GatewayReads> before = new ConcurrentHashMap<>();
            for (CommandGateway<AccountCommand, AccountEvent, Account> gateway : List.of(first, second, third, unrouted)) {
                before.put(gateway, gateway.reads());
            }

            ExecutorService senders = Executors.newFixedThreadPool(routed.size());
            try {
                List<Future<List<Sent>>> sending = new ArrayList<>();
                for (CommandGateway<AccountCommand, AccountEvent, Account> gateway : routed) {
                    sending.add(senders.submit(() -> sendDeposits(gateway, perGateway, 0)));
                }
                for (Future<List<Sent>> each : sending) {
                    assertAnswered(each.get());
                }
            } finally {
                senders.shutdownNow();
            }

            for (CommandGateway<AccountCommand, AccountEvent, Account> gateway : routed) {
                long read = gateway.reads().records() - before.get(gateway).records();
                // Its own replies, and not the other gateways' (which would make it 3 times as many).
                assertThat(read).as("records read by a gateway owning %s", gateway.replyPartitions())
                        .isBetween((long) perGateway, perGateway + perGateway / 10L);
                awaitNothingPending(gateway);
            }
            // Without reply routing a gateway reads every result of every gateway: all of them, once it has caught up
            // (it reads on its own thread, and may still be behind when the routed gateways have their answers).
            awaitUntil("the gateway without reply routing reading all " + 3 * perGateway + " results",
                    () -> unrouted.reads().records() - before.get(unrouted).records() >= 3L * perGateway);
            assertBalances(streams, accounts, 3 * perGateway);
        }
    }

    @Test
    void shouldAnswerEveryCommandWhenAGatewayJoinsDuringTheLoad() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "joined", 4);
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "joined-app", stateDir), accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> first = Cluster.gateway(kafka, accounts, TIMEOUT);
             CommandGateway<AccountCommand, AccountEvent, Account> second = Cluster.gateway(kafka, accounts, TIMEOUT)) {
            awaitUntil("both gateways own reply partitions",
                    () -> !first.replyPartitions().isEmpty() && !second.replyPartitions().isEmpty());
            openAccounts(first);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger rounds = new AtomicInteger();
            ExecutorService senders = Executors.newFixedThreadPool(3);
            List<Sent> sent = new ArrayList<>();
            try {
                List<Future<List<Sent>>> sending = new ArrayList<>();
                for (CommandGateway<AccountCommand, AccountEvent, Account> gateway : List.of(first, second)) {
                    sending.add(senders.submit(() -> sendUntil(gateway, stop, rounds)));
                }
                awaitUntil("some load before the third gateway", () -> rounds.get() >= 10);
                try (CommandGateway<AccountCommand, AccountEvent, Account> joiner = Cluster.gateway(kafka, accounts, TIMEOUT)) {
                    AtomicInteger joinerRounds = new AtomicInteger();
                    Future<List<Sent>> joining = senders.submit(() -> sendUntil(joiner, stop, joinerRounds));
                    awaitUntil("the third gateway owns reply partitions", () -> !joiner.replyPartitions().isEmpty());
                    int atJoin = rounds.get();
                    awaitUntil("load after the rebalance", () -> rounds.get() >= atJoin + 10 && joinerRounds.get() >= 10);
                    stop.set(true);
                    sent.addAll(joining.get());
                    for (Future<List<Sent>> each : sending) {
                        sent.addAll(each.get());
                    }
                    assertAnswered(sent);
                    awaitNothingPending(joiner);
                }
            } finally {
                stop.set(true);
                senders.shutdownNow();
            }
            awaitNothingPending(first);
            awaitNothingPending(second);
            assertBalances(streams, accounts, sent.size());
        }
    }

    @Test
    void shouldAnswerTheCommandsOfAGatewayThatOwnsNoReplyPartition() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "crowded", 1);
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "crowded-app", stateDir), accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> owner = Cluster.gateway(kafka, accounts, TIMEOUT)) {
            awaitUntil("the first gateway owns the reply partition", () -> owner.replyPartitions().equals(Set.of(0)));
            try (CommandGateway<AccountCommand, AccountEvent, Account> crowdedOut = Cluster.gateway(kafka, accounts, TIMEOUT)) {
                openAccounts(owner);
                List<Sent> sent = new ArrayList<>(sendDeposits(crowdedOut, 100, 0));
                sent.addAll(sendDeposits(owner, 100, 0));

                assertAnswered(sent);
                assertThat(crowdedOut.replyPartitions()).isEmpty();
                assertBalances(streams, accounts, 200);
            }
        }
    }

    private record Sent(Command<AccountCommand> command, CompletableFuture<CommandResult<AccountEvent, Account>> future) {
    }

    private static void openAccounts(CommandGateway<AccountCommand, AccountEvent, Account> gateway) {
        for (int a = 0; a < ACCOUNTS; a++) {
            assertThat(gateway.send("acc-" + a, new Open("owner-" + a), ExpectedVersion.noStream()).join().kind())
                    .isEqualTo(CommandResult.Kind.ACCEPTED);
        }
    }

    private static List<Sent> sendDeposits(CommandGateway<AccountCommand, AccountEvent, Account> gateway, int count, int offset) {
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Command<AccountCommand> command = Command.of("acc-" + ((offset + i) % ACCOUNTS), (AccountCommand) new Deposit(1));
            sent.add(new Sent(command, gateway.send(command)));
        }
        return sent;
    }

    /** Rounds of 20 deposits, each round answered before the next, until told to stop. */
    private static List<Sent> sendUntil(CommandGateway<AccountCommand, AccountEvent, Account> gateway, AtomicBoolean stop,
                                        AtomicInteger rounds) {
        List<Sent> sent = new ArrayList<>();
        int round = 0;
        while (!stop.get()) {
            List<Sent> batch = sendDeposits(gateway, 20, round++);
            batch.forEach(each -> each.future().exceptionally(error -> null).join());
            sent.addAll(batch);
            rounds.incrementAndGet();
        }
        return sent;
    }

    private static void assertAnswered(List<Sent> sent) {
        for (Sent each : sent) {
            CommandResult<AccountEvent, Account> result = each.future().join();
            assertThat(result.commandId()).isEqualTo(each.command().commandId());
            assertThat(result.aggregateId()).isEqualTo(each.command().aggregateId());
            assertThat(result.kind()).isEqualTo(CommandResult.Kind.ACCEPTED);
        }
    }

    /** Every deposit applied once: the balances add up to the number of deposits answered. */
    private static void assertBalances(KafkaStreams streams, AggregateType<AccountCommand, AccountEvent, Account> accounts,
                                       int deposits) {
        try (AggregateStore<AccountCommand, AccountEvent, Account> store = AggregateStore.of(streams, accounts)) {
            long total = 0;
            for (int a = 0; a < ACCOUNTS; a++) {
                total += store.get("acc-" + a).orElseThrow().state().balance();
            }
            assertThat(total).isEqualTo(deposits);
        }
    }

    /**
     * A future's caller can wake before the callback that removes its entry has run: the entries
     * go within moments, or one was left behind.
     */
    private static void awaitNothingPending(CommandGateway<?, ?, ?> gateway) throws InterruptedException {
        awaitUntil("no command pending", () -> gateway.pendingCount() == 0);
    }

    private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
