package io.eventfold.kafka.audit;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.kafka.EventSourcedTopology;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.internal.EventLogs;
import io.eventfold.kafka.internal.RecordPosition;
import io.eventfold.kafka.workflow.Tickets;
import io.eventfold.kafka.workflow.Tickets.TicketCommand;
import io.eventfold.kafka.workflow.Tickets.TicketEvent;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deadline and process-manager checks of the audit on what the real topology writes (on the
 * driver, with its wall clock): nothing to report; and the double firing, or the lost firing,
 * that a deadline store whose changes do not commit with the fired command would cause, found.
 */
class WorkflowLedgersTopologyTest {

    private static final Instant START = Instant.parse("2026-11-30T08:00:00Z");

    @TempDir
    Path stateDir;
    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> ticketCommands;
    TestOutputTopic<String, byte[]> firedCommands;
    TestOutputTopic<String, byte[]> ticketEvents;
    TestOutputTopic<String, byte[]> ticketResults;
    TestOutputTopic<String, byte[]> accountCommands;
    TestOutputTopic<String, byte[]> accountResults;
    /** What the output topics held so far, in order: the driver hands each record out once. */
    final List<TestRecord<String, byte[]>> fired = new ArrayList<>();
    final List<TestRecord<String, byte[]>> events = new ArrayList<>();

    @BeforeEach
    void start() {
        Properties props = EventfoldConfig.streams("ledgers-test", "localhost:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(EventLogs.CONFIG, EventLogs.empty());
        driver = new TopologyTestDriver(EventSourcedTopology.of(Tickets.TICKETS, Tickets.ACCOUNTS, Tickets.BILLING), props, START);
        ticketCommands = driver.createInputTopic("ticket-commands", new StringSerializer(), new ByteArraySerializer(), START, Duration.ZERO);
        firedCommands = output("ticket-commands");
        ticketEvents = output("ticket-events");
        ticketResults = output("ticket-command-results");
        accountCommands = output("account-commands");
        accountResults = output("account-command-results");
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private TestOutputTopic<String, byte[]> output(String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void send(String commandId, String ticketId, TicketCommand payload) {
        Command<TicketCommand> command = new Command<>(commandId, ticketId, ExpectedVersion.any(), payload, Map.of());
        ticketCommands.pipeInput(ticketId, Tickets.TICKETS.serdes().commands().serializer().serialize("", command));
    }

    private void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
        fired.addAll(firedCommands.readRecordsToList());
        events.addAll(ticketEvents.readRecordsToList());
    }

    /** Four tickets due in 10 minutes: one closed, one postponed by 20 minutes. */
    private void openFourTickets() {
        for (int i = 1; i <= 4; i++) {
            send("open-" + i, "t-" + i, new Tickets.Open("owner-" + i, START.plus(Duration.ofMinutes(10))));
        }
        send("close-2", "t-2", new Tickets.Close());
        send("postpone-3", "t-3", new Tickets.Postpone(START.plus(Duration.ofMinutes(30)), false));
        advance(Duration.ZERO);
    }

    /** The deadline checks of one partition, told what the driver's topics hold, as the audit tells them. */
    private AuditTally auditDeadlines(Instant dueBy) {
        AuditTally tally = new AuditTally();
        DeadlineLedger ledger = new DeadlineLedger("ticket-commands", 0, tally.violations());
        for (int offset = 0; offset < fired.size(); offset++) {
            TestRecord<String, byte[]> record = fired.get(offset);
            ledger.fired(record.key(), EventfoldHeaders.commandId(record.headers()).orElseThrow(),
                    EventfoldHeaders.read(record.headers(), EventfoldHeaders.DEADLINE).orElseThrow(), offset, true);
        }
        for (TestRecord<String, byte[]> record : events) {
            Event<TicketEvent> event = Tickets.TICKETS.serdes().events().deserializer().deserialize("", record.value());
            ledger.changes(event.aggregateId(), event.version(), record.timestamp(), EventfoldHeaders.deadlineChanges(record.headers()),
                    false);
        }
        ledger.finish(tally, dueBy, Long.MIN_VALUE);
        return tally;
    }

    @Test
    void shouldFindNothingInWhatTheTopologyWrites() {
        openFourTickets();
        advance(Duration.ofMinutes(11));
        advance(Duration.ofMinutes(20));

        AuditTally tally = auditDeadlines(START.plus(Duration.ofMinutes(31)));

        assertThat(tally.violations().kept()).isEmpty();
        assertThat(fired).extracting(TestRecord::key).containsExactly("t-1", "t-4", "t-3");
        assertThat(new DeadlineCounts(tally.deadlinesScheduled, tally.deadlinesCancelled, tally.deadlinesFired, tally.deadlinesWaiting,
                tally.deadlinesOutsideWindow)).isEqualTo(new DeadlineCounts(5, 1, 3, 0, 0));
    }

    @Test
    void shouldFindTheSecondFiringOfADeadlineWhoseDeleteFromTheStoreWasLost() {
        openFourTickets();
        // A store whose changes do not commit with the fired command (a crash in between, without
        // exactly_once_v2's shared transaction): the deadlines come back after they fired.
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(Tickets.TICKETS.stores().deadlines());
        List<KeyValue<Bytes, byte[]>> before = entries(store);
        advance(Duration.ofMinutes(11));
        before.forEach(entry -> store.put(entry.key, entry.value));
        advance(Duration.ofMinutes(2)); // the timer wakes at least once a minute

        AuditTally tally = auditDeadlines(START.plus(Duration.ofMinutes(13)));

        assertThat(tally.violations().kept()).containsExactlyInAnyOrder(
                "deadline expiry of t-1 fired 2 times: its command t-1/deadline/expiry/1 is on ticket-commands-0@0 and ticket-commands-0@2",
                "deadline expiry of t-4 fired 2 times: its command t-4/deadline/expiry/1 is on ticket-commands-0@1 and ticket-commands-0@3");
        // The second firing was answered from the command-id store, changing nothing: only the
        // deadline check sees it, the results and events are those of one command.
        List<TestRecord<String, byte[]>> results = ticketResults.readRecordsToList();
        assertThat(results.subList(results.size() - 2, results.size()))
                .allSatisfy(result -> assertThat(EventfoldHeaders.isDuplicate(result.headers())).isTrue());
        assertThat(events).filteredOn(record -> EventfoldHeaders.commandId(record.headers()).orElseThrow().contains("/deadline/"))
                .hasSize(2);
    }

    @Test
    void shouldFindADeadlineThatNeverFiredBecauseItWasLostFromTheStore() {
        openFourTickets();
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(Tickets.TICKETS.stores().deadlines());
        entries(store).forEach(entry -> store.delete(entry.key));
        advance(Duration.ofMinutes(31));

        AuditTally tally = auditDeadlines(START.plus(Duration.ofMinutes(31)));

        assertThat(fired).isEmpty();
        assertThat(tally.violations().kept()).containsExactlyInAnyOrder(
                "deadline expiry of t-1 scheduled at version 1 was due at 2026-11-30T08:10:00Z but never fired: its command"
                        + " t-1/deadline/expiry/1 is not on ticket-commands",
                "deadline expiry of t-3 scheduled at version 2 was due at 2026-11-30T08:30:00Z but never fired: its command"
                        + " t-3/deadline/expiry/2 is not on ticket-commands",
                "deadline expiry of t-4 scheduled at version 1 was due at 2026-11-30T08:10:00Z but never fired: its command"
                        + " t-4/deadline/expiry/1 is not on ticket-commands");
    }

    @Test
    void shouldFindEveryCommandOfTheManagerDerivedFromTheEventsSentAndHandled() {
        openFourTickets();
        advance(Duration.ofMinutes(31));

        AuditTally tally = new AuditTally();
        ManagerCommands<TicketEvent, Tickets.Billing, ?> commands = new ManagerCommands<>(Tickets.BILLING, tally.violations());
        List<TestRecord<String, byte[]>> sent = accountCommands.readRecordsToList();
        for (int offset = 0; offset < sent.size(); offset++) {
            TestRecord<String, byte[]> record = sent.get(offset);
            assertThat(EventfoldHeaders.read(record.headers(), EventfoldHeaders.PROCESS_MANAGER)).contains("ticket-billing");
            commands.sent(record.key(), EventfoldHeaders.commandId(record.headers()).orElseThrow(), 0, offset, false);
        }
        Map<String, CommandResult.Kind> kinds = new HashMap<>();
        for (TestRecord<String, byte[]> result : accountResults.readRecordsToList()) {
            kinds.put(EventfoldHeaders.commandId(result.headers()).orElseThrow(),
                    CommandResult.Kind.valueOf(EventfoldHeaders.read(result.headers(), EventfoldHeaders.RESULT_KIND).orElseThrow()));
        }
        commands.answered(0, key -> kinds.get(key.commandId()));
        for (int offset = 0; offset < events.size(); offset++) {
            TestRecord<String, byte[]> record = events.get(offset);
            commands.event(new RecordPosition("ticket-events", 0, offset), record.timestamp(),
                    Tickets.TICKETS.serdes().events().deserializer().deserialize("", record.value()));
        }
        commands.partitionReplayed();

        assertThat(tally.violations().kept()).isEmpty();
        // Opened x4 -> Open (accepted, new accounts); Expired x3 -> Withdraw, refused at a zero balance -> Deposit(1).
        assertThat(commands.finish()).isEqualTo(new ProcessManagerCounts("ticket-billing", 7, 10, 3, 10, 0, 0, 0));
    }

    private static List<KeyValue<Bytes, byte[]>> entries(KeyValueStore<Bytes, byte[]> store) {
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            all.forEachRemaining(entries::add);
        }
        return entries;
    }
}
