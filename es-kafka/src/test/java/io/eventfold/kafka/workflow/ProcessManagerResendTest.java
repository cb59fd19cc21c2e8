package io.eventfold.kafka.workflow;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.Rejection;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.Account;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.SnapshotsRebuildingException;
import io.eventfold.kafka.internal.ProcessManagerProcessor;
import io.eventfold.kafka.internal.Routed;
import io.eventfold.kafka.workflow.Tickets.Opened;
import io.eventfold.kafka.workflow.Tickets.TicketEvent;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static io.eventfold.kafka.workflow.WorkflowTopologyTest.ACCOUNTS;
import static io.eventfold.kafka.workflow.WorkflowTopologyTest.BILLING;
import static io.eventfold.kafka.workflow.WorkflowTopologyTest.TICKETS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a process manager does with each kind of reply, on a processor driven by hand: results that
 * TopologyTestDriver cannot produce (a target partition rebuilding its snapshots) included.
 */
class ProcessManagerResendTest {

    static final long NOW = Instant.parse("2026-11-30T08:00:00Z").toEpochMilli();
    static final String SENT_ID = "ticket-billing/ticket/t-1/1/0";

    MockProcessorContext<String, Routed> context;
    ProcessManagerProcessor<TicketEvent, Tickets.Billing, AccountCommand> processor;
    long offset;

    @BeforeEach
    void init() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "resend-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        context = new MockProcessorContext<>(props);
        context.setCurrentSystemTimeMs(NOW);
        for (String name : BILLING.stores()) {
            KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                    Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        processor = new ProcessManagerProcessor<>(BILLING);
        processor.init(context);
        Event<TicketEvent> opened = new Event<>("t-1", 1, "c1", Instant.ofEpochMilli(NOW), new Opened("owner-1", Instant.ofEpochMilli(NOW)));
        context.setRecordMetadata(TICKETS.topics().events(), 0, offset++);
        processor.process(new Record<>("t-1", TICKETS.serdes().events().serializer().serialize("", opened), NOW));
        assertThat(sentIds()).containsExactly(SENT_ID);
        context.resetForwards();
    }

    void reply(CommandResult<AccountEvent, Account> result) {
        RecordHeaders headers = new RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, result.commandId());
        context.setRecordMetadata(BILLING.topics().replies(), 0, offset++);
        processor.process(new Record<>(result.aggregateId(), ACCOUNTS.serdes().results().serializer().serialize("", result),
                context.currentSystemTimeMs(), headers));
    }

    List<String> sentIds() {
        return context.forwarded().stream()
                .filter(forward -> forward.record().value().topic().equals(ACCOUNTS.topics().commands()))
                .map(forward -> new String(forward.record().headers().lastHeader(EventfoldHeaders.COMMAND_ID).value(),
                        StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void aCommandRefusedWhileTheTargetRebuildsIsSentAgainWithItsIdAndTheManagerNeverSeesTheRefusal() {
        reply(new CommandResult.Failed<>(SENT_ID, "owner-1", 0, SnapshotsRebuildingException.class.getName(), "rebuilding: 41%"));

        assertThat(context.forwarded()).isEmpty();
        assertThat(context.scheduledPunctuators()).hasSize(1);

        context.setCurrentSystemTimeMs(NOW + 1000);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(NOW + 1000);

        assertThat(sentIds()).containsExactly(SENT_ID);
        Command<AccountCommand> again = ACCOUNTS.serdes().commands().deserializer()
                .deserialize("", context.forwarded().get(0).record().value().value());
        assertThat(again.payload()).isEqualTo(new AccountCommand.Open("owner-1"));
        assertThat(context.scheduledPunctuators().get(0).cancelled()).as("nothing waits any more").isTrue();

        // The refusal was not an input: the first real result is the manager's first.
        context.resetForwards();
        reply(new CommandResult.Rejected<>(SENT_ID, "owner-1", 1, new Rejection("ALREADY_OPEN", "account is OPEN")));
        assertThat(sentIds()).containsExactly("ticket-billing/ticket/t-1/result-1/0");
    }

    @Test
    void aResultIsHandedOnceAndAResultSentAgainIsPassedOver() {
        reply(new CommandResult.Rejected<>(SENT_ID, "owner-1", 1, new Rejection("ALREADY_OPEN", "account is OPEN")));
        assertThat(sentIds()).containsExactly("ticket-billing/ticket/t-1/result-1/0");

        context.resetForwards();
        reply(new CommandResult.Rejected<>(SENT_ID, "owner-1", 1, new Rejection("ALREADY_OPEN", "account is OPEN")));
        assertThat(context.forwarded()).isEmpty();
    }

    @Test
    void aReplyToACommandThisManagerNeverSentIsPassedOver() {
        reply(new CommandResult.Rejected<>("someone-else/1", "owner-1", 1, new Rejection("ALREADY_OPEN", "account is OPEN")));

        assertThat(context.forwarded()).isEmpty();
    }
}
