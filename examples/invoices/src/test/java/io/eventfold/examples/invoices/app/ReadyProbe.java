package io.eventfold.examples.invoices.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waits for {@code GET /api/ready} to answer 200, as a load balancer does before it sends an
 * instance any traffic: the first command then finds Kafka Streams holding its tasks instead of
 * waiting for them longer than the gateway's timeout.
 */
final class ReadyProbe {

    private ReadyProbe() {
    }

    static void awaitReady(String baseUrl, Duration within) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/ready")).GET().build();
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        while (response.statusCode() != 200) {
            assertThat(System.nanoTime()).as("GET /api/ready answers 200 within %s; last: %s %s", within, response.statusCode(),
                    response.body()).isLessThan(deadline);
            Thread.sleep(200);
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
