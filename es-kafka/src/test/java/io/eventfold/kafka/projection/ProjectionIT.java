package io.eventfold.kafka.projection;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.Cluster;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static io.eventfold.kafka.Cluster.accountsWithTopics;
import static io.eventfold.kafka.Cluster.streamsProps;
import static org.assertj.core.api.Assertions.assertThat;

/** A SQL read model fed by a ProjectionRunner stays exact through crashes, redelivery and rebuilds. */
class ProjectionIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path stateDir;

    @Test
    void shouldStayExactAcrossACrashMidBatchARestartAndARebuild() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "ledger", 3);
        Map<String, Long> expected = new TreeMap<>();
        int events;
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "ledger-app", stateDir), accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway =
                     CommandGateway.builder(accounts, kafka.bootstrapServers()).timeout(Duration.ofSeconds(60)).build()) {
            events = runWorkload(gateway, expected);
        }
        AccountBalances balances = new AccountBalances("ledger");
        Properties smallBatches = new Properties();
        smallBatches.put("max.poll.records", 50);

        balances.crashAfter(120);
        ProjectionRunner<Event<AccountEvent>> crashing = ProjectionRunner
                .forEvents(accounts, kafka.bootstrapServers(), "balances", balances)
                .withConsumerProperties(smallBatches).start();
        await(() -> balances.appliedEvents.get() >= 120, "the first runner applied 120 events");
        crashing.close();

        ProjectionRunner<Event<AccountEvent>> restarted = ProjectionRunner
                .forEvents(accounts, kafka.bootstrapServers(), "balances", balances)
                .withConsumerProperties(smallBatches).start();
        try {
            await(() -> restarted.lag() == 0 && balances.appliedEvents.get() == events, "every event applied once");

            assertThat(balances.balances()).isEqualTo(expected);
            assertThat(balances.skippedEvents.get()).as("redelivered events the guard skipped").isPositive();
            assertThat(restarted.applied()).as("records the restarted runner delivered")
                    .isEqualTo(events - 120L + balances.skippedEvents.get());

            int skippedBefore = balances.skippedEvents.get();
            restarted.rebuild().get();
            await(() -> restarted.lag() == 0 && balances.appliedEvents.get() == 2 * events, "every event applied again");

            assertThat(balances.balances()).isEqualTo(expected);
            assertThat(balances.skippedEvents.get()).isEqualTo(skippedBefore);
        } finally {
            restarted.close();
        }
    }

    /** Opens 20 accounts and moves money around; returns how many events were written. */
    private static int runWorkload(CommandGateway<AccountCommand, AccountEvent, Account> gateway, Map<String, Long> expected) {
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
                expected.put(result.aggregateId(), accepted.state().balance());
            }
        }
        return events;
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 60 s").isLessThan(deadline);
            Cluster.sleep(50);
        }
    }
}
