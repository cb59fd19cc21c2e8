package io.eventfold.kafka.workflow;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.DeadlineChange;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventSourcedTopology;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.ProcessManagerType;
import io.eventfold.kafka.internal.EventLogs;
import io.eventfold.kafka.workflow.Tickets.Billing;
import io.eventfold.kafka.workflow.Tickets.Close;
import io.eventfold.kafka.workflow.Tickets.Expired;
import io.eventfold.kafka.workflow.Tickets.Open;
import io.eventfold.kafka.workflow.Tickets.Postpone;
import io.eventfold.kafka.workflow.Tickets.Ticket;
import io.eventfold.kafka.workflow.Tickets.TicketCommand;
import io.eventfold.kafka.workflow.Tickets.TicketEvent;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Deadlines and a process manager in the topology, on TopologyTestDriver with its wall clock. */
class WorkflowTopologyTest {

    static final Instant START = Instant.parse("2026-11-30T08:00:00Z");

    static final AggregateType<TicketCommand, TicketEvent, Ticket> TICKETS = Tickets.TICKETS;
    static final AggregateType<AccountCommand, AccountEvent, Account> ACCOUNTS = Tickets.ACCOUNTS;
    static final ProcessManagerType<TicketEvent, Billing, AccountCommand> BILLING = Tickets.BILLING;

    @TempDir
    Path stateDir;
    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> ticketCommands;
    TestOutputTopic<String, byte[]> firedCommands;
    TestOutputTopic<String, Event<TicketEvent>> ticketEvents;
    TestOutputTopic<String, Event<AccountEvent>> accountEvents;
    TestOutputTopic<String, byte[]> accountCommands;
    TestOutputTopic<String, byte[]> billingDeadLetters;

    @BeforeEach
    void start() {
        Properties props = EventfoldConfig.streams("workflow-test", "localhost:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(EventLogs.CONFIG, EventLogs.empty());
        driver = new TopologyTestDriver(EventSourcedTopology.of(TICKETS, ACCOUNTS, BILLING), props, START);
        ticketCommands = driver.createInputTopic("ticket-commands", new StringSerializer(), new ByteArraySerializer(), START, Duration.ZERO);
        firedCommands = driver.createOutputTopic("ticket-commands", new StringDeserializer(), new ByteArrayDeserializer());
        ticketEvents = driver.createOutputTopic("ticket-events", new StringDeserializer(), TICKETS.serdes().events().deserializer());
        accountEvents = driver.createOutputTopic("account-events", new StringDeserializer(), ACCOUNTS.serdes().events().deserializer());
        accountCommands = driver.createOutputTopic("account-commands", new StringDeserializer(), new ByteArrayDeserializer());
        billingDeadLetters = driver.createOutputTopic("ticket-billing-dlq", new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    void send(String commandId, String ticketId, TicketCommand payload) {
        Command<TicketCommand> command = new Command<>(commandId, ticketId, ExpectedVersion.any(), payload, Map.of("user", "ada"));
        ticketCommands.pipeInput(ticketId, TICKETS.serdes().commands().serializer().serialize("", command));
    }

    List<TicketEvent> ticketPayloads() {
        return ticketEvents.readValuesToList().stream().map(Event::payload).toList();
    }

    static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aDeadlineFiresItsCommandOnceWhenItsTimeComesAndNotBefore() {
        Instant due = START.plus(Duration.ofMinutes(10));
        send("c1", "t-1", new Open("alice", due));
        TestRecord<String, Event<TicketEvent>> opened = ticketEvents.readRecord();
        assertThat(header(opened.headers(), EventfoldHeaders.DEADLINES)).isEqualTo("schedule:expiry@" + due.toEpochMilli());
        assertThat(EventfoldHeaders.deadlineChanges(opened.headers()))
                .containsExactly(new EventfoldHeaders.DeadlineNote("expiry", due));

        driver.advanceWallClockTime(Duration.ofMinutes(9));
        assertThat(ticketEvents.isEmpty()).isTrue();
        assertThat(firedCommands.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofMinutes(2));
        TestRecord<String, byte[]> fired = firedCommands.readRecord();
        assertThat(fired.key()).isEqualTo("t-1");
        assertThat(header(fired.headers(), EventfoldHeaders.DEADLINE)).isEqualTo("expiry");
        assertThat(header(fired.headers(), EventfoldHeaders.COMMAND_ID)).isEqualTo("t-1/deadline/expiry/1");
        Command<TicketCommand> command = TICKETS.serdes().commands().deserializer().deserialize("", fired.value());
        assertThat(command.commandId()).isEqualTo(DeadlineChange.Schedule.commandId("t-1", "expiry", 1));
        assertThat(command.correlation()).isEqualTo("c1");
        assertThat(command.metadata()).isEqualTo(Map.of("user", "ada"));
        List<Event<TicketEvent>> events = ticketEvents.readValuesToList();
        assertThat(events).extracting(Event::payload).containsExactly(new Expired());
        assertThat(events.get(0).commandId()).isEqualTo("t-1/deadline/expiry/1");
        assertThat(events.get(0).correlationId()).isEqualTo("c1");

        driver.advanceWallClockTime(Duration.ofHours(2));
        assertThat(firedCommands.isEmpty()).isTrue();
        assertThat(ticketEvents.isEmpty()).isTrue();
    }

    @Test
    void aCancelledDeadlineNeverFires() {
        send("c1", "t-1", new Open("alice", START.plus(Duration.ofMinutes(10))));
        send("c2", "t-1", new Close());
        assertThat(header(ticketEvents.readRecordsToList().get(1).headers(), EventfoldHeaders.DEADLINES)).isEqualTo("cancel:expiry");

        driver.advanceWallClockTime(Duration.ofHours(1));

        assertThat(firedCommands.isEmpty()).isTrue();
        assertThat(ticketEvents.isEmpty()).isTrue();
    }

    @Test
    void schedulingAnIdAgainReplacesTheDeadline() {
        send("c1", "t-1", new Open("alice", START.plus(Duration.ofMinutes(10))));
        send("c2", "t-1", new Postpone(START.plus(Duration.ofMinutes(30)), false));
        ticketEvents.readRecordsToList();

        driver.advanceWallClockTime(Duration.ofMinutes(20));
        assertThat(firedCommands.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofMinutes(11));
        assertThat(firedCommands.readRecordsToList()).extracting(record -> header(record.headers(), EventfoldHeaders.COMMAND_ID))
                .containsExactly("t-1/deadline/expiry/2");
        assertThat(ticketPayloads()).containsExactly(new Expired());
    }

    @Test
    void aDeadlineAlreadyDueFiresAtTheNextTick() {
        send("c1", "t-1", new Open("alice", START.minus(Duration.ofDays(3))));
        ticketEvents.readRecordsToList();

        driver.advanceWallClockTime(Duration.ofMillis(EventfoldConfig.DEFAULT_DEADLINE_TICK_MS));

        assertThat(ticketPayloads()).containsExactly(new Expired());
    }

    @Test
    void deadlinesOfManyAggregatesFireInDueOrder() {
        for (int i = 0; i < 20; i++) {
            send("c" + i, "t-" + i, new Open("alice", START.plus(Duration.ofMinutes(20 - i))));
        }
        ticketEvents.readRecordsToList();

        driver.advanceWallClockTime(Duration.ofMinutes(30));

        assertThat(firedCommands.readRecordsToList()).extracting(TestRecord::key)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "t-" + (19 - i)).toList());
    }

    @Test
    void aDecisionThatChangesADeadlineWithoutAnEventFailsAndChangesNothing() {
        send("c1", "t-1", new Open("alice", START.plus(Duration.ofMinutes(10))));
        send("c2", "t-1", new Postpone(null, true));
        ticketEvents.readRecordsToList();

        driver.advanceWallClockTime(Duration.ofMinutes(11));

        assertThat(ticketPayloads()).containsExactly(new Expired());
    }

    @Test
    void theProcessManagerSendsCommandsWithDerivedIdsAndReactsToTheirResults() {
        send("c1", "t-1", new Open("bob", START.plus(Duration.ofMinutes(10))));

        TestRecord<String, byte[]> open = accountCommands.readRecord();
        assertThat(open.key()).isEqualTo("bob");
        assertThat(header(open.headers(), EventfoldHeaders.COMMAND_ID)).isEqualTo("ticket-billing/ticket/t-1/1/0");
        assertThat(header(open.headers(), EventfoldHeaders.PROCESS_MANAGER)).isEqualTo("ticket-billing");
        assertThat(header(open.headers(), EventfoldHeaders.REPLY_TOPIC)).isEqualTo("ticket-billing-replies");
        Command<AccountCommand> sent = ACCOUNTS.serdes().commands().deserializer().deserialize("", open.value());
        assertThat(sent.correlation()).isEqualTo("c1");
        assertThat(sent.metadata()).isEqualTo(Map.of("user", "ada"));
        assertThat(accountEvents.readValuesToList()).extracting(Event::payload).containsExactly(new AccountEvent.Opened("bob"));

        driver.advanceWallClockTime(Duration.ofMinutes(11));

        // Expired -> Withdraw(5), refused (balance 0) -> the refusal is the manager's input -> Deposit(1).
        assertThat(accountCommands.readRecordsToList()).extracting(record -> header(record.headers(), EventfoldHeaders.COMMAND_ID))
                .containsExactly("ticket-billing/ticket/t-1/2/0", "ticket-billing/ticket/t-1/result-2/0");
        assertThat(accountEvents.readValuesToList()).extracting(Event::payload).containsExactly(new AccountEvent.Deposited(1));
        assertThat(driver.<String, byte[]>getKeyValueStore(BILLING.pendingStore()).approximateNumEntries()).isZero();
        byte[] state = driver.<String, byte[]>getKeyValueStore(BILLING.stateStore()).get("t-1");
        assertThat(new String(state, StandardCharsets.UTF_8)).contains("\"lastVersion\":2", "\"resultsSeen\":3", "\"refused\":1");
    }

    @Test
    void theCommandAManagerSendsContinuesTheTraceOfTheEventThatCausedIt() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Command<TicketCommand> command = new Command<>("c1", "t-1", ExpectedVersion.any(),
                (TicketCommand) new Open("bob", START.plus(Duration.ofMinutes(10))), Map.of());
        Headers headers = new RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.TRACEPARENT, traceparent);
        ticketCommands.pipeInput(new TestRecord<>("t-1", TICKETS.serdes().commands().serializer().serialize("", command), headers, START));

        assertThat(header(ticketEvents.readRecord().headers(), EventfoldHeaders.TRACEPARENT)).isEqualTo(traceparent);
        TestRecord<String, byte[]> sent = accountCommands.readRecord();
        assertThat(header(sent.headers(), EventfoldHeaders.PROCESS_MANAGER)).isEqualTo("ticket-billing");
        assertThat(header(sent.headers(), EventfoldHeaders.TRACEPARENT)).as("the manager's command").isEqualTo(traceparent);
        assertThat(header(accountEvents.readRecord().headers(), EventfoldHeaders.TRACEPARENT)).as("the account's event")
                .isEqualTo(traceparent);

        driver.advanceWallClockTime(Duration.ofMinutes(11));
        assertThat(header(firedCommands.readRecord().headers(), EventfoldHeaders.TRACEPARENT))
                .as("a deadline's command starts a trace of its own").isNull();
    }

    @Test
    void anEventSeenBeforeIsPassedOverAndAFailingManagerDeadLettersItsInput() {
        send("c1", "t-1", new Open("boom", START.plus(Duration.ofMinutes(10))));
        TestRecord<String, byte[]> letter = billingDeadLetters.readRecord();
        assertThat(letter.key()).isEqualTo("t-1");
        assertThat(header(letter.headers(), EventfoldHeaders.ERROR_TYPE)).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(letter.headers(), EventfoldHeaders.ERROR)).contains("cannot bill t-1", "event t-1@1");
        assertThat(accountCommands.isEmpty()).isTrue();

        send("c2", "t-2", new Open("carol", START.plus(Duration.ofMinutes(10))));
        List<TestRecord<String, Event<TicketEvent>>> opened = ticketEvents.readRecordsToList();
        assertThat(accountCommands.readRecordsToList()).hasSize(1);

        // The same event record again, as after a replay: passed over.
        TestInputTopic<String, byte[]> events = driver.createInputTopic("ticket-events", new StringSerializer(), new ByteArraySerializer());
        TestRecord<String, Event<TicketEvent>> again = opened.get(1);
        events.pipeInput(new TestRecord<>(again.key(), TICKETS.serdes().events().serializer().serialize("", again.value()),
                again.headers(), again.getRecordTime()));
        assertThat(accountCommands.isEmpty()).isTrue();
        assertThat(billingDeadLetters.isEmpty()).isTrue();
    }

    @Test
    void anUnreadableEventGoesToTheManagersDeadLettersAndTheManagerGoesOn() {
        TestInputTopic<String, byte[]> events = driver.createInputTopic("ticket-events", new StringSerializer(), new ByteArraySerializer());
        events.pipeInput("t-9", "not json".getBytes(StandardCharsets.UTF_8));

        TestRecord<String, byte[]> letter = billingDeadLetters.readRecord();
        assertThat(header(letter.headers(), EventfoldHeaders.ERROR)).startsWith("cannot read the event");
        assertThat(header(letter.headers(), EventfoldHeaders.SOURCE)).isEqualTo("ticket-events-0@0");

        send("c1", "t-1", new Open("dora", START.plus(Duration.ofMinutes(10))));
        assertThat(accountCommands.readRecordsToList()).hasSize(1);
    }

    @Test
    void aDeadlineBeyondTheMillisecondClockFailsItsCommandAndTheTypeGoesOn() {
        TestOutputTopic<String, byte[]> results = driver.createOutputTopic("ticket-command-results", new StringDeserializer(),
                new ByteArrayDeserializer());
        send("c1", "t-1", new Open("alice", Instant.MAX));

        CommandResult<TicketEvent, Ticket> result = TICKETS.serdes().results().deserializer().deserialize("", results.readValue());
        assertThat(result).isInstanceOfSatisfying(CommandResult.Failed.class, failed ->
                assertThat(failed.errorType()).isEqualTo(IllegalArgumentException.class.getName()));
        assertThat(ticketEvents.isEmpty()).isTrue();

        send("c2", "t-1", new Open("alice", START.plus(Duration.ofMinutes(1))));
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertThat(ticketPayloads()).hasSize(2).last().isEqualTo(new Expired());
    }
}
