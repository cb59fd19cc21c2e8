package io.eventfold.kafka.projection;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.Cluster;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.client.CommandGateway;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import static io.eventfold.kafka.Cluster.accountsWithTopics;
import static io.eventfold.kafka.Cluster.streamsProps;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One trace from a caller's span through the gateway ({@code send}), the topology ({@code handle})
 * and the events topic to a projection ({@code apply}), on a real broker.
 */
class TracePropagationIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void shouldContinueTheCallersTraceThroughTheGatewayTheTopologyTheEventAndTheProjection() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "traced", 1);
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build()) {
            Properties props = streamsProps(kafka, "traced-app", dir.resolve("streams"));
            props.put(EventfoldConfig.OPEN_TELEMETRY_CONFIG, sdk);
            Span caller = sdk.getTracer("test").spanBuilder("caller").startSpan();
            try (KafkaStreams streams = EventfoldStreams.start(props, accounts);
                 CommandGateway<AccountCommand, AccountEvent, Account> gateway = CommandGateway
                         .builder(accounts, kafka.bootstrapServers()).timeout(Duration.ofSeconds(60)).openTelemetry(sdk).build()) {
                CompletableFuture<CommandResult<AccountEvent, Account>> sent;
                try (Scope ignored = caller.makeCurrent()) {
                    sent = gateway.send("acc-1", new Open("alice"), ExpectedVersion.noStream());
                }
                assertThat(sent.join()).isInstanceOf(CommandResult.Accepted.class);
            } finally {
                caller.end();
            }
            String traceId = caller.getSpanContext().getTraceId();

            List<ConsumerRecord<String, byte[]>> events = Cluster.readAll(kafka, accounts.topics().events());
            assertThat(events).hasSize(1);
            String traceparent = EventfoldHeaders.read(events.get(0).headers(), EventfoldHeaders.TRACEPARENT).orElseThrow();
            assertThat(traceparent).as("the event's traceparent").startsWith("00-" + traceId + "-");

            AccountBalances balances = new AccountBalances("jdbc:h2:file:" + dir.resolve("traced") + ";DB_CLOSE_DELAY=-1", "traced-balances");
            try (ProjectionRunner<Event<AccountEvent>> runner = ProjectionRunner
                    .forEvents(accounts, kafka.bootstrapServers(), "traced-balances", balances, balances.store)
                    .withTelemetry(ProjectionTelemetry.create().openTelemetry(sdk)).start()) {
                ProjectionIT.await(() -> runner.applied() >= 1, "the projection applied the event");
            }

            SpanData send = only(spans, "send");
            SpanData handle = only(spans, "handle");
            SpanData apply = only(spans, "apply");
            assertThat(List.of(send, handle, apply)).extracting(SpanData::getTraceId).containsOnly(traceId);
            assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(send.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
            assertThat(send.getAttributes().asMap().toString()).contains("eventfold.result.kind=ACCEPTED");
            assertThat(handle.getParentSpanId()).isEqualTo(send.getSpanId());
            assertThat(traceparent).as("the event names the handle span").contains(handle.getSpanId());
            assertThat(apply.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(apply.getParentSpanId()).isEqualTo(handle.getSpanId());
            assertThat(apply.getAttributes().asMap().toString()).contains("eventfold.projection.name=traced-balances")
                    .contains("eventfold.aggregate.id=acc-1");
        }
    }

    private static SpanData only(InMemorySpanExporter spans, String name) {
        List<SpanData> named = spans.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).toList();
        assertThat(named).as("the " + name + " spans").hasSize(1);
        return named.get(0);
    }
}
