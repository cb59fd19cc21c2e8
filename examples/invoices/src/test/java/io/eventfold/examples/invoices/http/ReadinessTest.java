package io.eventfold.examples.invoices.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/ready} follows Kafka Streams' state: only RUNNING handles this instance's commands. */
class ReadinessTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void shouldAnswer503UntilKafkaStreamsRunsAnd200Then() throws Exception {
        AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.REBALANCING);
        InvoiceApi api = new InvoiceApi(null, null, null, null, new ProjectionHealth(List.of(), mapper), state::get,
                new EventStream(), new MetricsEndpoint(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), mapper, 0);
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + api.port() + "/api/ready")).build();

            HttpResponse<String> starting = http.send(ready, HttpResponse.BodyHandlers.ofString());
            assertThat(starting.statusCode()).isEqualTo(503);
            assertThat(starting.headers().firstValue("Retry-After")).contains("1");
            JsonNode notReady = mapper.readTree(starting.body());
            assertThat(notReady.get("status").asText()).isEqualTo("NOT_READY");
            assertThat(notReady.get("streams").asText()).isEqualTo("REBALANCING");

            state.set(KafkaStreams.State.RUNNING);
            HttpResponse<String> running = http.send(ready, HttpResponse.BodyHandlers.ofString());
            assertThat(running.statusCode()).isEqualTo(200);
            assertThat(mapper.readTree(running.body()).get("status").asText()).isEqualTo("READY");

            state.set(KafkaStreams.State.PENDING_SHUTDOWN);
            assertThat(http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode()).as("stopping").isEqualTo(503);
        } finally {
            api.close();
        }
    }
}
