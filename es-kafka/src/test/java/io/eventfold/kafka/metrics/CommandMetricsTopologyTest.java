package io.eventfold.kafka.metrics;

import io.eventfold.core.Command;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventSourcedTopology;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.internal.EventLogs;
import io.eventfold.kafka.workflow.Tickets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.eventfold.kafka.workflow.Tickets.ACCOUNTS;
import static io.eventfold.kafka.workflow.Tickets.BILLING;
import static io.eventfold.kafka.workflow.Tickets.TICKETS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command topology's meters after a known set of commands on the driver: every result kind,
 * a duplicate, a dead letter, deadlines scheduled, cancelled and fired, and a process manager's
 * commands and results.
 */
class CommandMetricsTopologyTest {

    static final Instant START = Instant.parse("2026-11-22T08:00:00Z");

    @TempDir
    Path stateDir;

    final MeterRegistry registry = new SimpleMeterRegistry();
    TopologyTestDriver driver;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void countsEveryKindOfAnswerDeadlineAndManagerCommand() {
        driver = new TopologyTestDriver(EventSourcedTopology.of(TICKETS, ACCOUNTS, BILLING), props(registry), START);
        TestInputTopic<String, byte[]> accounts = input(ACCOUNTS);
        TestInputTopic<String, byte[]> tickets = input(TICKETS);
        Command<AccountCommand> open = command("c1", "acc-1", ExpectedVersion.noStream(), new AccountCommand.Open("alice"));

        send(accounts, ACCOUNTS, open);
        send(accounts, ACCOUNTS, command("c2", "acc-1", ExpectedVersion.any(), new AccountCommand.DepositInParts(List.of(1L, 2L, 3L))));
        send(accounts, ACCOUNTS, command("c3", "acc-1", ExpectedVersion.any(), new AccountCommand.Withdraw(1000)));
        send(accounts, ACCOUNTS, command("c4", "acc-1", ExpectedVersion.exactly(1), new AccountCommand.Deposit(5)));
        send(accounts, ACCOUNTS, command("c5", "acc-1", ExpectedVersion.any(),
                new AccountCommand.Misbehave(AccountCommand.Fault.THROW_IN_DECIDE)));
        send(accounts, ACCOUNTS, open);
        accounts.pipeInput((String) null, "not an envelope".getBytes(StandardCharsets.UTF_8));

        Instant due = START.plus(Duration.ofMinutes(1));
        send(tickets, TICKETS, command("t1", "t-1", ExpectedVersion.noStream(), new Tickets.Open("owner-1", due)));
        send(tickets, TICKETS, command("t2", "t-2", ExpectedVersion.noStream(), new Tickets.Open("owner-2", due)));
        send(tickets, TICKETS, command("t3", "t-2", ExpectedVersion.any(), new Tickets.Close()));
        driver.advanceWallClockTime(Duration.ofMinutes(2));

        // Directly: accepted c1 c2, rejected c3, conflict c4, failed c5. From the manager: open owner-1 and
        // owner-2 (accepted), withdraw 5 from owner-1 when t-1 expires (rejected), deposit 1 in answer (accepted).
        assertThat(count("eventfold.commands", "type", "account", "kind", "accepted")).isEqualTo(5);
        assertThat(count("eventfold.commands", "type", "account", "kind", "rejected")).isEqualTo(2);
        assertThat(count("eventfold.commands", "type", "account", "kind", "conflict")).isEqualTo(1);
        assertThat(count("eventfold.commands", "type", "account", "kind", "failed")).isEqualTo(1);
        assertThat(count("eventfold.commands.duplicates", "type", "account")).isEqualTo(1);
        assertThat(count("eventfold.dead.letters", "topic", ACCOUNTS.topics().deadLetters())).isEqualTo(1);
        assertThat(count("eventfold.events", "type", "account")).as("1 + 3 + open owner-1, owner-2, deposit 1").isEqualTo(7);
        Timer handling = registry.get("eventfold.commands.handling").tag("type", "account").timer();
        assertThat(handling.count()).as("every command record, answered, duplicate or dead-lettered").isEqualTo(11);
        assertThat(handling.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();

        assertThat(count("eventfold.commands", "type", "ticket", "kind", "accepted")).as("open, open, close, expire").isEqualTo(4);
        assertThat(count("eventfold.events", "type", "ticket")).isEqualTo(4);
        assertThat(count("eventfold.deadlines", "type", "ticket", "change", "scheduled")).isEqualTo(2);
        assertThat(count("eventfold.deadlines", "type", "ticket", "change", "cancelled")).isEqualTo(1);
        assertThat(count("eventfold.deadlines", "type", "ticket", "change", "fired")).isEqualTo(1);

        assertThat(count("eventfold.process.commands", "manager", BILLING.name(), "send", "first")).isEqualTo(4);
        assertThat(count("eventfold.process.commands", "manager", BILLING.name(), "send", "resend")).isZero();
        assertThat(count("eventfold.process.results", "manager", BILLING.name(), "kind", "accepted")).isEqualTo(3);
        assertThat(count("eventfold.process.results", "manager", BILLING.name(), "kind", "rejected")).isEqualTo(1);
        assertThat(count("eventfold.dead.letters", "topic", BILLING.topics().deadLetters())).isZero();

        assertThat(registry.get("eventfold.snapshots.rebuild.waiting.partitions").tag("type", "account").gauge().value())
                .as("every partition handles commands").isZero();
        assertThat(registry.get("eventfold.snapshots.rebuild.remaining").tag("type", "ticket").gauge().value()).isZero();
    }

    @Test
    void aRegistryOfAnotherKindIsRefusedNamingTheSetting() {
        Properties props = props(registry);
        props.put(EventfoldConfig.METER_REGISTRY_CONFIG, "prometheus");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TopologyTestDriver(EventSourcedTopology.of(ACCOUNTS), props, START))
                .hasStackTraceContaining(EventfoldConfig.METER_REGISTRY_CONFIG + " must be an io.micrometer.core.instrument.MeterRegistry")
                .hasStackTraceContaining("java.lang.String");
    }

    private Properties props(MeterRegistry meters) {
        Properties props = EventfoldConfig.streams("metrics-test", "localhost:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(EventLogs.CONFIG, EventLogs.empty());
        props.put(EventfoldConfig.METER_REGISTRY_CONFIG, meters);
        return props;
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private TestInputTopic<String, byte[]> input(AggregateType<?, ?, ?> type) {
        return driver.createInputTopic(type.topics().commands(), new StringSerializer(), new ByteArraySerializer(), START, Duration.ZERO);
    }

    private static <C> void send(TestInputTopic<String, byte[]> topic, AggregateType<C, ?, ?> type, Command<C> command) {
        topic.pipeInput(command.aggregateId(), type.serdes().commands().serializer().serialize("", command));
    }

    private static <C> Command<C> command(String id, String aggregateId, ExpectedVersion expected, C payload) {
        return new Command<>(id, aggregateId, expected, payload, Map.of());
    }
}
