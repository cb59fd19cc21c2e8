package io.eventfold.kafka;

import io.eventfold.core.Aggregate;
import io.eventfold.core.Command;
import io.eventfold.core.Decision;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.DepositInParts;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;
import org.slf4j.WorkingMdc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command's W3C trace headers reach its events, snapshot and result (and the dead letter of an
 * unreadable one); with an OpenTelemetry SDK the topology's {@code handle} span sits between; the
 * MDC names the command while the aggregate decides.
 */
class TraceTopologyTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01";
    private static final String TRACESTATE = "congo=t61rcWkgMzE";

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    OpenTelemetrySdk sdk;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        if (sdk != null) {
            sdk.close();
        }
    }

    private TopologyHarness<AccountCommand, AccountEvent, Account> start(Aggregate<AccountCommand, AccountEvent, Account> aggregate,
                                                                         Properties extra) {
        AggregateType<AccountCommand, AccountEvent, Account> type = AggregateType.builder("account", aggregate)
                .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class)
                .commandIdRetention(Duration.ofMinutes(10)).build();
        driver = TopologyHarness.driver(stateDir, extra, type);
        return new TopologyHarness<>(driver, type);
    }

    private static void send(TopologyHarness<AccountCommand, AccountEvent, Account> account, String key, byte[] value,
                             String commandId) {
        Headers headers = new RecordHeaders();
        if (commandId != null) {
            EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, commandId);
        }
        EventfoldHeaders.put(headers, EventfoldHeaders.TRACEPARENT, TRACEPARENT);
        EventfoldHeaders.put(headers, EventfoldHeaders.TRACESTATE, TRACESTATE);
        account.commands.pipeInput(new TestRecord<>(key, value, headers, TopologyHarness.START));
    }

    private static void send(TopologyHarness<AccountCommand, AccountEvent, Account> account, Command<AccountCommand> command) {
        send(account, command.aggregateId(), account.type.serdes().commands().serializer().serialize("", command), command.commandId());
    }

    /** The events, snapshot and result records of what was sent, in that order. */
    private static List<TestRecord<String, ?>> outputs(TopologyHarness<AccountCommand, AccountEvent, Account> account) {
        List<TestRecord<String, ?>> outputs = new ArrayList<>(account.events.readRecordsToList());
        outputs.addAll(account.snapshots.readRecordsToList());
        outputs.addAll(account.results.readRecordsToList());
        return outputs;
    }

    @Test
    void shouldCopyTheCommandsTraceHeadersToItsEventsSnapshotAndResultWithTheNoOpGlobalOpenTelemetry() {
        TopologyHarness<AccountCommand, AccountEvent, Account> account = start(new AccountAggregate(), new Properties());
        send(account, new Command<>("c1", "acc-1", ExpectedVersion.noStream(), new Open("alice"), Map.of()));
        send(account, new Command<>("c2", "acc-1", ExpectedVersion.exactly(1), new DepositInParts(List.of(5L, 6L)), Map.of()));

        List<TestRecord<String, ?>> outputs = outputs(account);
        assertThat(outputs).as("3 events, 2 snapshots, 2 results").hasSize(7);
        assertThat(outputs).allSatisfy(record -> {
            assertThat(TopologyHarness.header(record, EventfoldHeaders.TRACEPARENT)).isEqualTo(TRACEPARENT);
            assertThat(TopologyHarness.header(record, EventfoldHeaders.TRACESTATE)).isEqualTo(TRACESTATE);
        });
    }

    @Test
    void shouldKeepTheTraceHeadersOnTheDeadLetterOfAnUnreadableCommand() {
        TopologyHarness<AccountCommand, AccountEvent, Account> account = start(new AccountAggregate(), new Properties());
        send(account, "acc-1", "not json".getBytes(StandardCharsets.UTF_8), null);

        TestRecord<String, byte[]> letter = account.deadLetters.readRecord();
        assertThat(TopologyHarness.header(letter, EventfoldHeaders.ERROR)).isNotNull();
        assertThat(TopologyHarness.header(letter, EventfoldHeaders.TRACEPARENT)).isEqualTo(TRACEPARENT);
        assertThat(TopologyHarness.header(letter, EventfoldHeaders.TRACESTATE)).isEqualTo(TRACESTATE);
    }

    @Test
    void shouldHandleACommandInASpanChildOfItsTraceParentWhoseContextTheOutputsCarry() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
        Properties props = new Properties();
        props.put(EventfoldConfig.OPEN_TELEMETRY_CONFIG, sdk);
        TopologyHarness<AccountCommand, AccountEvent, Account> account = start(new AccountAggregate(), props);
        send(account, new Command<>("c1", "acc-1", ExpectedVersion.noStream(), new Open("alice"), Map.of()));

        assertThat(spans.getFinishedSpanItems()).hasSize(1);
        SpanData handle = spans.getFinishedSpanItems().get(0);
        assertThat(handle.getName()).isEqualTo("handle");
        assertThat(handle.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(handle.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(handle.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(handle.getAttributes().get(AttributeKey.stringKey("eventfold.aggregate.type"))).isEqualTo("account");
        assertThat(handle.getAttributes().get(AttributeKey.stringKey("eventfold.aggregate.id"))).isEqualTo("acc-1");
        assertThat(handle.getAttributes().get(AttributeKey.stringKey("eventfold.command.id"))).isEqualTo("c1");
        assertThat(handle.getAttributes().get(AttributeKey.stringKey("eventfold.result.kind"))).isEqualTo("ACCEPTED");
        assertThat(handle.getAttributes().get(AttributeKey.stringKey("eventfold.source"))).isEqualTo("account-commands-0@0");

        List<TestRecord<String, ?>> outputs = outputs(account);
        assertThat(outputs).as("event, snapshot, result").hasSize(3);
        assertThat(outputs).allSatisfy(record -> assertThat(TopologyHarness.header(record, EventfoldHeaders.TRACEPARENT))
                .isEqualTo("00-" + TRACE_ID + "-" + handle.getSpanId() + "-01"));
        assertThat(outputs).allSatisfy(record -> assertThat(TopologyHarness.header(record, EventfoldHeaders.TRACESTATE))
                .isEqualTo(TRACESTATE));
    }

    @Test
    void shouldNameTheAggregateCommandAndPositionInTheMdcWhileTheAggregateDecidesAndRestoreItAfter() {
        List<Map<String, String>> seen = new ArrayList<>();
        AccountAggregate accounts = new AccountAggregate();
        Aggregate<AccountCommand, AccountEvent, Account> watched = new Aggregate<>() {
            @Override
            public Account initialState() {
                return accounts.initialState();
            }

            @Override
            public Decision<AccountEvent> decide(AccountCommand command, Account state) {
                seen.add(Map.of("aggregate", String.valueOf(MDC.get(EventfoldMdc.AGGREGATE_ID)),
                        "command", String.valueOf(MDC.get(EventfoldMdc.COMMAND_ID)),
                        "source", String.valueOf(MDC.get(EventfoldMdc.SOURCE))));
                return accounts.decide(command, state);
            }

            @Override
            public Account evolve(Account state, AccountEvent event) {
                return accounts.evolve(state, event);
            }
        };
        TopologyHarness<AccountCommand, AccountEvent, Account> account = start(watched, new Properties());
        try (WorkingMdc ignored = WorkingMdc.install()) {
            MDC.put(EventfoldMdc.COMMAND_ID, "the caller's own");

            account.send(new Command<>("c1", "acc-1", ExpectedVersion.noStream(), new Open("alice"), Map.of()));
            account.send(new Command<>("c2", "acc-2", ExpectedVersion.noStream(), new Open("bob"), Map.of()));

            assertThat(seen).containsExactly(
                    Map.of("aggregate", "acc-1", "command", "c1", "source", "account-commands-0@0"),
                    Map.of("aggregate", "acc-2", "command", "c2", "source", "account-commands-0@1"));
            assertThat(MDC.get(EventfoldMdc.COMMAND_ID)).as("the thread's own value, put back").isEqualTo("the caller's own");
            assertThat(MDC.get(EventfoldMdc.AGGREGATE_ID)).isNull();
            assertThat(MDC.get(EventfoldMdc.SOURCE)).isNull();
            MDC.clear();
        }
    }
}
