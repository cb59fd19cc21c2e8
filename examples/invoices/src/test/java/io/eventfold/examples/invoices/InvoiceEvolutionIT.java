package io.eventfold.examples.invoices;

import io.eventfold.core.Aggregate;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Snapshot;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoicePaid;
import io.eventfold.examples.invoices.domain.InvoiceEvent.LineItemAdded;
import io.eventfold.examples.invoices.domain.InvoiceStatus;
import io.eventfold.examples.invoices.domain.LineItem;
import io.eventfold.examples.invoices.v1.InvoicesV1;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.RebuildStatus;
import io.eventfold.kafka.SnapshotRebuilds;
import io.eventfold.kafka.TopicLayout;
import io.eventfold.kafka.audit.AuditReport;
import io.eventfold.kafka.audit.LogAudit;
import io.eventfold.kafka.client.AggregateStore;
import io.eventfold.kafka.client.CommandGateway;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invoice example's one schema change, on a real broker: the first release (a frozen copy of
 * its domain, {@link InvoicesV1}) writes 200 invoices through every command on three partitions
 * and stops; the current release starts on the same application id and topics, rebuilds every
 * snapshot from the upcast events (its state is at version 2), and then handles new commands on
 * the old invoices: a taxed line on a first-release draft, the payment of a first-release sent
 * invoice, which records {@code InvoicePaid}.
 */
class InvoiceEvolutionIT {

    private static final String APPLICATION_ID = "invoices-evolution";
    private static final int PARTITIONS = 3;
    private static final int INVOICES = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path stateDir;

    @Test
    void shouldRebuildEverySnapshotOfTheFirstReleaseFromTheUpcastEventsAndHandleNewCommandsOnIt() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicLayout.of(Invoices.TYPE).create(admin, PARTITIONS, (short) 1);
        }

        // ---- the first release writes its records ----
        Map<String, BigDecimal> totals = new LinkedHashMap<>();
        try (KafkaStreams v1 = EventfoldStreams.start(streamsProperties(), InvoicesV1.TYPE);
             CommandGateway<io.eventfold.examples.invoices.v1.InvoiceCommand, io.eventfold.examples.invoices.v1.InvoiceEvent,
                     io.eventfold.examples.invoices.v1.Invoice> gateway = CommandGateway.builder(InvoicesV1.TYPE, kafka.bootstrapServers())
                     .timeout(TIMEOUT).build()) {
            writeFirstReleaseInvoices(gateway, totals);
        }

        // ---- the current release takes over: every partition rebuilds its snapshots ----
        List<RebuildStatus> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        SnapshotRebuilds rebuilds = SnapshotRebuilds.of(APPLICATION_ID, Invoices.TYPE);
        Runnable unsubscribe = rebuilds.subscribe(seen::add);
        try (KafkaStreams v2 = EventfoldStreams.start(streamsProperties(), Invoices.TYPE);
             CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> gateway = CommandGateway.builder(Invoices.TYPE, kafka.bootstrapServers())
                     .timeout(TIMEOUT).resultsWithState(true).build();
             AggregateStore<InvoiceCommand, InvoiceEvent, Invoice> store = AggregateStore.of(v2, Invoices.TYPE)) {
            await(() -> rebuilds.statuses().size() == PARTITIONS && rebuilds.allCurrent()
                    && rebuilds.statuses().stream().allMatch(status -> status.toStateVersion() == 2), "every partition CURRENT at state version 2");
            unsubscribe.run();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                int p = partition;
                assertThat(seen).as("partition " + p + " rebuilt its first-release snapshots")
                        .anyMatch(status -> status.partition() == p && status.fromStateVersion() == 1
                                && status.phase() == RebuildStatus.Phase.PUBLISHING);
            }
            assertThat(rebuilds.statuses().stream().mapToLong(RebuildStatus::aggregates).sum())
                    .as("every invoice rebuilt, on one partition or another").isEqualTo(INVOICES);

            Map<String, List<Event<InvoiceEvent>>> beforeNewCommands = events();
            assertThat(beforeNewCommands).hasSize(INVOICES);
            assertSnapshotsAreTheFoldOfTheEvents(store, beforeNewCommands);

            // ---- new commands against the rebuilt state ----
            LineItem taxed = new LineItem("li-3", "Brass gears", 10, new BigDecimal("4.50"), new BigDecimal("0.20"));
            List<CompletableFuture<CommandResult<InvoiceEvent, Invoice>>> taxedLines = new ArrayList<>();
            List<CompletableFuture<CommandResult<InvoiceEvent, Invoice>>> payments = new ArrayList<>();
            for (int i = 0; i < INVOICES; i++) {
                String id = id(i);
                if (i % 5 == 4) {
                    taxedLines.add(gateway.send(id, new InvoiceCommand.AddLineItem(taxed), ExpectedVersion.exactly(3)));
                } else if (i % 5 == 1) {
                    payments.add(gateway.send(id, new InvoiceCommand.PayInvoice(totals.get(id)), ExpectedVersion.exactly(4)));
                }
            }
            for (CompletableFuture<CommandResult<InvoiceEvent, Invoice>> future : taxedLines) {
                CommandResult.Accepted<InvoiceEvent, Invoice> accepted = accepted(future.join());
                assertThat(accepted.events()).extracting(Event::payload).containsExactly(new LineItemAdded(taxed));
                String id = accepted.aggregateId();
                assertThat(accepted.state().orElseThrow().total()).as(id + ": untaxed first-release lines plus a taxed one")
                        .isEqualTo(totals.get(id).add(new BigDecimal("54.00")));
            }
            for (CompletableFuture<CommandResult<InvoiceEvent, Invoice>> future : payments) {
                CommandResult.Accepted<InvoiceEvent, Invoice> accepted = accepted(future.join());
                assertThat(accepted.events()).extracting(Event::payload)
                        .containsExactly(new InvoicePaid(totals.get(accepted.aggregateId())));
                assertThat(accepted.state().orElseThrow().status()).isEqualTo(InvoiceStatus.PAID);
            }

            Map<String, List<Event<InvoiceEvent>>> afterNewCommands = events();
            assertSnapshotsAreTheFoldOfTheEvents(store, afterNewCommands);
            assertThat(afterNewCommands.values().stream().mapToInt(List::size).sum())
                    .isEqualTo(beforeNewCommands.values().stream().mapToInt(List::size).sum() + INVOICES / 5 * 2);
            assertLatestSnapshotRecordsAreTheFold(afterNewCommands);

            AuditReport report = LogAudit.of(Invoices.TYPE).application(APPLICATION_ID)
                    .run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "evolution-audit"));
            assertThat(report.clean()).as(report.summary()).isTrue();
        }
    }

    /**
     * Per invoice, by {@code i % 5}: 0 a draft whose second line was removed, 1 sent, 2 paid
     * ({@code PaymentReceived}), 3 cancelled, 4 a draft with two lines.
     */
    private static void writeFirstReleaseInvoices(
            CommandGateway<io.eventfold.examples.invoices.v1.InvoiceCommand, io.eventfold.examples.invoices.v1.InvoiceEvent,
                    io.eventfold.examples.invoices.v1.Invoice> gateway, Map<String, BigDecimal> totals) {
        LocalDate issued = LocalDate.of(2026, 11, 22);
        io.eventfold.examples.invoices.v1.Customer ada = new io.eventfold.examples.invoices.v1.Customer("Ada Lovelace", "ada@example.com");
        step(gateway, i -> new io.eventfold.examples.invoices.v1.InvoiceCommand.CreateInvoice(ada, issued, issued.plusDays(30), "EUR"));
        step(gateway, i -> new io.eventfold.examples.invoices.v1.InvoiceCommand.AddLineItem(
                new io.eventfold.examples.invoices.v1.LineItem("li-1", "Tuning", 1 + i % 7, new BigDecimal("12.50"))));
        step(gateway, i -> new io.eventfold.examples.invoices.v1.InvoiceCommand.AddLineItem(
                new io.eventfold.examples.invoices.v1.LineItem("li-2", "Punched cards", 200, new BigDecimal("0.25"))));
        for (int i = 0; i < INVOICES; i++) {
            BigDecimal tuning = new BigDecimal("12.50").multiply(BigDecimal.valueOf(1 + i % 7));
            totals.put(id(i), i % 5 == 0 ? tuning : tuning.add(new BigDecimal("50.00")));
        }
        step(gateway, i -> switch (i % 5) {
            case 0 -> new io.eventfold.examples.invoices.v1.InvoiceCommand.RemoveLineItem("li-2");
            case 1, 2 -> new io.eventfold.examples.invoices.v1.InvoiceCommand.SendInvoice();
            case 3 -> new io.eventfold.examples.invoices.v1.InvoiceCommand.CancelInvoice("ordered twice");
            default -> null;
        });
        step(gateway, i -> i % 5 == 2 ? new io.eventfold.examples.invoices.v1.InvoiceCommand.PayInvoice(totals.get(id(i))) : null);
    }

    /** Sends one command to every invoice that has one in this step, all at once, and requires each accepted. */
    private static <C, E, S> void step(CommandGateway<C, E, S> gateway, Function<Integer, C> commandOf) {
        List<CompletableFuture<CommandResult<E, S>>> sent = new ArrayList<>();
        IntStream.range(0, INVOICES).forEach(i -> {
            C command = commandOf.apply(i);
            if (command != null) {
                sent.add(gateway.send(id(i), command, ExpectedVersion.any()));
            }
        });
        sent.forEach(future -> accepted(future.join()));
    }

    private static <E, S> CommandResult.Accepted<E, S> accepted(CommandResult<E, S> result) {
        assertThat(result).as("a command of " + result.aggregateId()).isInstanceOf(CommandResult.Accepted.class);
        return (CommandResult.Accepted<E, S>) result;
    }

    /** Each aggregate's snapshot in the topology's store is the fold of its upcast events, at its last version. */
    private static void assertSnapshotsAreTheFoldOfTheEvents(AggregateStore<InvoiceCommand, InvoiceEvent, Invoice> store,
                                                             Map<String, List<Event<InvoiceEvent>>> events) {
        events.forEach((id, history) -> {
            Snapshot<Invoice> snapshot = store.awaitVersion(id, history.size(), TIMEOUT).join();
            assertThat(snapshot).as(id).isEqualTo(fold(id, history));
        });
    }

    /** The last record of each aggregate on the snapshots topic is of state version 2 and the fold. */
    private void assertLatestSnapshotRecordsAreTheFold(Map<String, List<Event<InvoiceEvent>>> events) {
        Map<String, byte[]> latest = new HashMap<>();
        readAll(Invoices.TYPE.topics().snapshots(), record -> latest.put(record.key(), record.value()));
        events.forEach((id, history) -> {
            assertThat(latest).as("the snapshots topic has " + id).containsKey(id);
            Snapshot<Invoice> snapshot = Invoices.TYPE.serdes().snapshots().deserializer().deserialize("", latest.get(id));
            assertThat(snapshot).as(id + " on the snapshots topic").isEqualTo(fold(id, history));
        });
    }

    private static Snapshot<Invoice> fold(String id, List<Event<InvoiceEvent>> history) {
        Aggregate<InvoiceCommand, InvoiceEvent, Invoice> aggregate = Invoices.TYPE.aggregate();
        Invoice state = aggregate.initialState();
        for (int i = 0; i < history.size(); i++) {
            assertThat(history.get(i).version()).as(id + " event " + (i + 1)).isEqualTo(i + 1);
            state = aggregate.evolve(state, history.get(i).payload());
        }
        return new Snapshot<>(id, history.size(), state);
    }

    /** Every event on the events topic, read committed, upcast and decoded as the application does. */
    private Map<String, List<Event<InvoiceEvent>>> events() {
        Map<String, List<Event<InvoiceEvent>>> byAggregate = new ConcurrentHashMap<>();
        readAll(Invoices.TYPE.topics().events(), record -> Invoices.TYPE.serdes().storedEvents()
                .deserialize(record.topic(), record.value())
                .forEach(event -> byAggregate.computeIfAbsent(event.aggregateId(), key -> new ArrayList<>()).add(event)));
        return byAggregate;
    }

    private void readAll(String topic, java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
        Properties properties = EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "evolution-reader-" + System.nanoTime());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                assertThat(System.nanoTime()).as("read " + topic + " to its end within " + TIMEOUT).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    private Properties streamsProperties() {
        Properties properties = EventfoldConfig.streams(APPLICATION_ID, kafka.bootstrapServers());
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        return properties;
    }

    private static String id(int i) {
        return "INV-" + i;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 2 minutes").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
