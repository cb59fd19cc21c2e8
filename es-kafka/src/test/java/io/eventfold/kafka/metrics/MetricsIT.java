package io.eventfold.kafka.metrics;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.Cluster;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.kafka.client.CommandTimeoutException;
import io.eventfold.kafka.projection.AccountBalances;
import io.eventfold.kafka.projection.ProjectionRunner;
import io.eventfold.kafka.projection.ProjectionTelemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

import static io.eventfold.kafka.Cluster.accountsWithTopics;
import static io.eventfold.kafka.Cluster.streamsProps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The meters on a real broker: the topology's commands by kind, a duplicate, a dead letter; the
 * gateway's outcomes (a timeout among them) and pending gauge; a projection's applied records
 * and lag; the state restore of an instance started on an empty state directory.
 */
class MetricsIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void reportsTheCommandsOfAKnownWorkloadFromTheTopologyTheGatewayAndTheProjection() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "metered", 2);
        MeterRegistry registry = new SimpleMeterRegistry();
        AccountBalances balances = new AccountBalances("jdbc:h2:file:" + dir.resolve("balances") + ";DB_CLOSE_DELAY=-1", "metered-balances");
        KafkaStreams streams = EventfoldStreams.start(withRegistry(streamsProps(kafka, "metered-app", dir.resolve("first")), registry),
                accounts);
        try (CommandGateway<AccountCommand, AccountEvent, Account> gateway = CommandGateway.builder(accounts, kafka.bootstrapServers())
                .timeout(Duration.ofSeconds(60)).meterRegistry(registry).build()) {
            Command<AccountCommand> open = new Command<>("open-1", "acc-1", ExpectedVersion.noStream(), new AccountCommand.Open("alice"),
                    Map.of());
            assertThat(gateway.send(open).join().kind()).isEqualTo(CommandResult.Kind.ACCEPTED);
            assertThat(gateway.send("acc-1", new AccountCommand.Deposit(10), ExpectedVersion.any()).join().kind())
                    .isEqualTo(CommandResult.Kind.ACCEPTED);
            assertThat(gateway.send("acc-1", new AccountCommand.Withdraw(1000), ExpectedVersion.any()).join().kind())
                    .isEqualTo(CommandResult.Kind.REJECTED);
            assertThat(gateway.send("acc-1", new AccountCommand.Deposit(5), ExpectedVersion.exactly(0)).join().kind())
                    .isEqualTo(CommandResult.Kind.CONFLICT);
            assertThat(gateway.send("acc-1", new AccountCommand.Misbehave(AccountCommand.Fault.THROW_IN_DECIDE), ExpectedVersion.any())
                    .join().kind()).isEqualTo(CommandResult.Kind.FAILED);
            assertThat(gateway.send(open).join()).as("the same command id again").isInstanceOf(CommandResult.AlreadyAccepted.class);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(EventfoldConfig.commandProducer(kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(accounts.topics().commands(), null, "not an envelope".getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
            await(() -> count(registry, "eventfold.dead.letters", "topic", accounts.topics().deadLetters()) == 1, "the dead letter counted");
            // Recorded after the records are forwarded, and a future's caller may wake before its other callbacks ran.
            await(() -> registry.get("eventfold.commands.handling").tag("type", "metered").timer().count() == 7,
                    "every command record timed");
            await(() -> gatewayCount(registry, "accepted") + gatewayCount(registry, "rejected") + gatewayCount(registry, "conflict")
                    + gatewayCount(registry, "failed") == 6, "every answer the gateway had timed");

            assertThat(count(registry, "eventfold.commands", "type", "metered", "kind", "accepted")).isEqualTo(2);
            assertThat(count(registry, "eventfold.commands", "type", "metered", "kind", "rejected")).isEqualTo(1);
            assertThat(count(registry, "eventfold.commands", "type", "metered", "kind", "conflict")).isEqualTo(1);
            assertThat(count(registry, "eventfold.commands", "type", "metered", "kind", "failed")).isEqualTo(1);
            assertThat(count(registry, "eventfold.commands.duplicates", "type", "metered")).isEqualTo(1);
            assertThat(count(registry, "eventfold.events", "type", "metered")).isEqualTo(2);
            assertThat(registry.get("eventfold.commands.handling").tag("type", "metered").timer().count()).isEqualTo(7);
            assertThat(gatewayCount(registry, "accepted")).as("the duplicate is answered ACCEPTED too").isEqualTo(3);
            assertThat(gatewayCount(registry, "rejected")).isEqualTo(1);
            assertThat(gatewayCount(registry, "conflict")).isEqualTo(1);
            assertThat(gatewayCount(registry, "failed")).isEqualTo(1);
            await(() -> registry.get("eventfold.gateway.pending").tag("type", "metered").gauge().value() == 0,
                    "no command pending");

            try (ProjectionRunner<Event<AccountEvent>> runner = ProjectionRunner.forEvents(accounts, kafka.bootstrapServers(),
                    "metered-balances", balances, balances.store).withTelemetry(ProjectionTelemetry.create().meterRegistry(registry)).start()) {
                await(() -> runner.applied() == 2 && runner.lag() == 0, "the projection caught up");
                assertThat(registry.get("eventfold.projection.applied").tag("projection", "metered-balances").functionCounter().count())
                        .isEqualTo(2);
                assertThat(registry.get("eventfold.projection.lag").tag("projection", "metered-balances").gauge().value()).isZero();
            }
            assertThat(Search.in(registry).name("eventfold.projection.lag").gauges()).as("removed when the runner closed").isEmpty();

            Cluster.stop(streams);
            try (CommandGateway<AccountCommand, AccountEvent, Account> impatient = CommandGateway.builder(accounts,
                    kafka.bootstrapServers()).timeout(Duration.ofSeconds(2)).meterRegistry(registry).build()) {
                assertThatThrownBy(() -> impatient.send("acc-1", new AccountCommand.Deposit(1), ExpectedVersion.any()).join())
                        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(CommandTimeoutException.class);
                await(() -> gatewayCount(registry, "timeout") == 1, "the timeout counted");
            }
            assertThat(registry.get("eventfold.gateway.pending").tag("type", "metered").gauge().value())
                    .as("the open gateway is still counted").isZero();
        }
        assertThat(Search.in(registry).name("eventfold.gateway.pending").gauges()).as("removed with the last gateway").isEmpty();

        // The same registry, as a restarted instance in one JVM would have it.
        MeterRegistry restarted = registry;
        KafkaStreams fresh = EventfoldStreams.start(withRegistry(streamsProps(kafka, "metered-app", dir.resolve("second")), restarted),
                accounts);
        try {
            Cluster.awaitRunning(fresh);
            String snapshots = accounts.stores().snapshots();
            await(() -> Search.in(restarted).name("eventfold.restore.records").tag("store", snapshots).counters().stream()
                    .mapToDouble(counter -> counter.count()).sum() >= 2, "the snapshot store restored from its changelog");
            await(() -> restarted.get("eventfold.restore.remaining").tag("store", snapshots).gauge().value() == 0,
                    "nothing left to restore");
        } finally {
            Cluster.stop(fresh);
        }
    }

    private static Properties withRegistry(Properties props, MeterRegistry registry) {
        props.put(EventfoldConfig.METER_REGISTRY_CONFIG, registry);
        return props;
    }

    private static double count(MeterRegistry registry, String name, String... tags) {
        return Search.in(registry).name(name).tags(tags).counters().stream().mapToDouble(counter -> counter.count()).sum();
    }

    private static long gatewayCount(MeterRegistry registry, String outcome) {
        return registry.get("eventfold.gateway.commands").tag("type", "metered").tag("outcome", outcome).timer().count();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 60 s").isLessThan(deadline);
            Cluster.sleep(50);
        }
    }
}
