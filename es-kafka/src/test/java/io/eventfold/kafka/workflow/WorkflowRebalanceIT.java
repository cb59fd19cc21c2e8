package io.eventfold.kafka.workflow;

import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.Cluster;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.TopicLayout;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.kafka.workflow.Tickets.Close;
import io.eventfold.kafka.workflow.Tickets.Expired;
import io.eventfold.kafka.workflow.Tickets.Open;
import io.eventfold.kafka.workflow.Tickets.Ticket;
import io.eventfold.kafka.workflow.Tickets.TicketCommand;
import io.eventfold.kafka.workflow.Tickets.TicketEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static io.eventfold.kafka.workflow.WorkflowTopologyTest.ACCOUNTS;
import static io.eventfold.kafka.workflow.WorkflowTopologyTest.BILLING;
import static io.eventfold.kafka.workflow.WorkflowTopologyTest.TICKETS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deadlines and a process manager on a real broker while their partitions move: scheduled on one
 * instance, fired on another after two rebalances (the second instance joins, the first leaves),
 * each exactly once, from the deadline store restored from its changelog.
 */
class WorkflowRebalanceIT {

    private static final int TICKETS_OPENED = 40;
    private static final int TICKETS_CLOSED = 10;

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path stateA;
    @TempDir
    Path stateB;

    @Test
    void everyDeadlineFiresOnceAndEveryManagerCommandIsHandledOnceAcrossRebalances() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicLayout.of(TICKETS, ACCOUNTS, BILLING).create(admin, 4, (short) 1);
        }
        KafkaStreams first = EventfoldStreams.start(props(stateA), TICKETS, ACCOUNTS, BILLING);
        Cluster.awaitRunning(first);
        Instant due = Instant.now().plus(Duration.ofSeconds(25));
        try (CommandGateway<TicketCommand, TicketEvent, Ticket> gateway = Cluster.gateway(kafka, TICKETS, Duration.ofSeconds(60))) {
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < TICKETS_OPENED; i++) {
                sent.add(gateway.send("t-" + i, new Open("owner-" + i, due.plusMillis(50L * i)), ExpectedVersion.noStream()));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            sent.clear();
            for (int i = 0; i < TICKETS_CLOSED; i++) {
                sent.add(gateway.send("t-" + i, new Close(), ExpectedVersion.exactly(1)));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        }
        KafkaStreams second = EventfoldStreams.start(props(stateB), TICKETS, ACCOUNTS, BILLING);
        Cluster.awaitRunning(first, second);
        Cluster.stop(first);
        assertThat(Instant.now()).as("the first instance left before any deadline was due").isBefore(due);
        try {
            awaitExpired(TICKETS_OPENED - TICKETS_CLOSED, Duration.ofSeconds(90));
            Thread.sleep(3000); // room for a second firing, which must not come

            List<ConsumerRecord<String, byte[]>> fired = Cluster.readAll(kafka, TICKETS.topics().commands()).stream()
                    .filter(record -> record.headers().lastHeader(EventfoldHeaders.DEADLINE) != null).toList();
            assertThat(fired).extracting(ConsumerRecord::key).doesNotHaveDuplicates()
                    .hasSize(TICKETS_OPENED - TICKETS_CLOSED)
                    .allSatisfy(key -> assertThat(Integer.parseInt(key.substring(2))).isGreaterThanOrEqualTo(TICKETS_CLOSED));
            assertThat(expiredTickets()).hasSize(TICKETS_OPENED - TICKETS_CLOSED)
                    .allSatisfy((ticket, count) -> assertThat(count).as(ticket).isEqualTo(1L));
            // Each expiry: Withdraw(5), refused with a zero balance, answered by the manager with Deposit(1), once.
            awaitDeposits(TICKETS_OPENED - TICKETS_CLOSED, Duration.ofSeconds(30));
            Map<String, Long> deposits = depositsByAccount();
            assertThat(deposits).hasSize(TICKETS_OPENED - TICKETS_CLOSED).allSatisfy((account, count) ->
                    assertThat(count).as(account).isEqualTo(1L));
            System.out.printf("WorkflowRebalanceIT: %d deadlines scheduled, %d cancelled, %d fired once each after two"
                    + " rebalances; %d manager deposits, one each%n", TICKETS_OPENED, TICKETS_CLOSED, fired.size(), deposits.size());
        } finally {
            Cluster.stop(second);
        }
    }

    private Properties props(Path stateDir) {
        Properties props = Cluster.streamsProps(kafka, "workflow-rebalance", stateDir);
        props.put("eventfold.deadlines.tick.ms", "200");
        return props;
    }

    private static Map<String, Long> expiredTickets() {
        return Cluster.readAll(kafka, TICKETS.topics().events()).stream()
                .map(record -> TICKETS.serdes().events().deserializer().deserialize("", record.value()))
                .filter(event -> event.payload() instanceof Expired)
                .collect(Collectors.groupingBy(event -> event.aggregateId(), Collectors.counting()));
    }

    private static Map<String, Long> depositsByAccount() {
        return Cluster.readAll(kafka, ACCOUNTS.topics().events()).stream()
                .map(record -> ACCOUNTS.serdes().events().deserializer().deserialize("", record.value()))
                .filter(event -> event.payload() instanceof AccountEvent.Deposited)
                .collect(Collectors.groupingBy(event -> event.aggregateId(), Collectors.counting()));
    }

    private static void awaitExpired(int expected, Duration timeout) throws InterruptedException {
        await(WorkflowRebalanceIT::expiredTickets, expected, timeout, "expired tickets");
    }

    private static void awaitDeposits(int expected, Duration timeout) throws InterruptedException {
        await(WorkflowRebalanceIT::depositsByAccount, expected, timeout, "accounts with a deposit");
    }

    private static void await(java.util.function.Supplier<Map<String, Long>> read, int expected, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> seen = read.get();
        while (seen.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(500);
            seen = read.get();
        }
        assertThat(seen).as(what + " within " + timeout.toSeconds() + " s").hasSize(expected);
    }
}
