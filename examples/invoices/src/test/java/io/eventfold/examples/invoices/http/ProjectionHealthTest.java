package io.eventfold.examples.invoices.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfold.core.Event;
import io.eventfold.examples.invoices.Invoices;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.kafka.projection.Delivery;
import io.eventfold.kafka.projection.Generation;
import io.eventfold.kafka.projection.Projection;
import io.eventfold.kafka.projection.ProjectionRunner;
import io.eventfold.kafka.projection.jdbc.JdbcCheckpointStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/health} and {@code GET /api/projections} with a projection that stopped: a
 * runner whose tables cannot be created stops FAILED before it reads anything, so no broker is needed.
 */
class ProjectionHealthTest {

    private final ObjectMapper mapper = new ObjectMapper();

    /** Fails the runner's thread for good at its first step (an exception would be retried). */
    private static Projection<Connection, Event<InvoiceEvent>> brokenTables() {
        return new Projection<>() {
            @Override
            public void createTables(Connection session, Generation generation) {
                throw new AssertionError("the history table's definition is broken");
            }

            @Override
            public void apply(Connection session, Generation generation, List<Delivery<Event<InvoiceEvent>>> batch) {
            }

            @Override
            public void dropTables(Connection session, Generation generation) {
            }
        };
    }

    @Test
    void shouldAnswer503NamingTheFailedProjectionAndPublishItsStatus() throws Exception {
        JdbcCheckpointStore store = JdbcCheckpointStore.of(() -> DriverManager.getConnection("jdbc:h2:mem:health;DB_CLOSE_DELAY=-1"));
        EventStream stream = new EventStream();
        try (ProjectionRunner<Event<InvoiceEvent>> runner = ProjectionRunner.forEvents(Invoices.TYPE, "localhost:1", "invoice-history",
                brokenTables(), store).addListener(new ProjectionEvents(stream, mapper))) {
            InvoiceApi api = new InvoiceApi(null, null, null, null, new ProjectionHealth(List.of(runner), mapper),
                    () -> KafkaStreams.State.RUNNING, stream,
                    new MetricsEndpoint(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), mapper, 0);
            try {
                HttpClient http = HttpClient.newHttpClient();
                Iterator<String> events = http.send(request(api, "/api/stream"), HttpResponse.BodyHandlers.ofLines()).body().iterator();
                assertThat(events.next()).isEqualTo(": connected");
                runner.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                String failed;
                do {
                    assertThat(System.nanoTime()).as("a projection event with the FAILED state").isLessThan(deadline);
                    failed = events.next();
                } while (!failed.startsWith("data: ") || !failed.contains("\"state\":\"FAILED\""));
                assertThat(failed).contains("\"name\":\"invoice-history\"", "the history table's definition is broken");

                HttpResponse<String> health = http.send(request(api, "/api/health"), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(503);
                JsonNode body = mapper.readTree(health.body());
                assertThat(body.get("status").asText()).isEqualTo("DOWN");
                assertThat(body.get("error").asText()).isEqualTo("PROJECTION_FAILED");
                assertThat(body.get("message").asText()).isEqualTo("projection invoice-history FAILED: the history table's definition is broken");

                HttpResponse<String> list = http.send(request(api, "/api/projections"), HttpResponse.BodyHandlers.ofString());
                assertThat(list.statusCode()).isEqualTo(200);
                JsonNode projection = mapper.readTree(list.body()).get(0);
                assertThat(projection.get("name").asText()).isEqualTo("invoice-history");
                assertThat(projection.get("state").asText()).isEqualTo("FAILED");
                assertThat(projection.get("lag").asLong()).isEqualTo(-1);
                assertThat(projection.get("error").get("type").asText()).isEqualTo(AssertionError.class.getName());
                assertThat(projection.get("error").get("message").asText()).isEqualTo("the history table's definition is broken");
            } finally {
                api.close();
            }
        }
    }

    private static HttpRequest request(InvoiceApi api, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + api.port() + path)).build();
    }
}
