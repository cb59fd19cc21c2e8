package io.eventfold.examples.invoices.http;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /metrics} on a registry with meters shaped like Eventfold's: the lines the page's
 * rates panel reads (app.js, {@code parseMetrics}) look as it expects.
 */
class MetricsEndpointTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/metrics", new MetricsEndpoint(registry)::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        registry.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.getAddress().getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeTheRegistryInPrometheusTextFormat() throws Exception {
        Counter.builder("eventfold.commands").tag("type", "invoice").tag("kind", "accepted").register(registry).increment(3);
        Timer.builder("eventfold.commands.handling").tag("type", "invoice").publishPercentiles(0.5, 0.95, 0.99).register(registry)
                .record(Duration.ofMillis(4));
        Gauge.builder("eventfold.gateway.pending", () -> 2).tag("type", "invoice").register(registry);

        HttpResponse<String> response = send("GET", "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body().lines()).contains(
                "eventfold_commands_total{kind=\"accepted\",type=\"invoice\"} 3.0",
                "eventfold_commands_handling_seconds_count{type=\"invoice\"} 1",
                "eventfold_gateway_pending{type=\"invoice\"} 2.0");
        assertThat(response.body().lines())
                .anyMatch(line -> line.startsWith("eventfold_commands_handling_seconds{type=\"invoice\",quantile=\"0.99\"} "));
    }

    @Test
    void shouldKeepOnlyTheFamiliesNamedInNameParameters() throws Exception {
        Counter.builder("eventfold.commands").tag("type", "invoice").tag("kind", "accepted").register(registry).increment();
        Counter.builder("eventfold.events").tag("type", "invoice").register(registry).increment(2);
        Gauge.builder("kafka.stream.thread.process.rate", () -> 7).register(registry);

        HttpResponse<String> response = send("GET", "/metrics?name%5B%5D=eventfold_commands&name[]=eventfold_events");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().lines().filter(line -> !line.startsWith("#"))).containsExactly(
                "eventfold_commands_total{kind=\"accepted\",type=\"invoice\"} 1.0",
                "eventfold_events_total{type=\"invoice\"} 2.0");
    }

    @Test
    void shouldAnswerOnlyGetOfMetricsItself() throws Exception {
        assertThat(send("POST", "/metrics").statusCode()).isEqualTo(405);
        assertThat(send("GET", "/metrics/more").statusCode()).isEqualTo(404);
    }
}
