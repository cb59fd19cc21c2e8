package io.eventfold.examples.invoices.http;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code GET /metrics}: every meter of the service's registry (Eventfold's, the JVM's and Kafka
 * Streams' own) in Prometheus' text format, for a Prometheus server to scrape and for the page's
 * rates panel, which differences the counters. As Prometheus' own exporters do, {@code name[]}
 * parameters keep only the named metric families, named without the suffixes of their samples
 * ({@code eventfold_commands} for {@code eventfold_commands_total}): Kafka Streams' metrics are
 * most of the text, which the page need not fetch every two seconds.
 *
 * <pre>{@code
 * curl -s 'localhost:8080/metrics?name[]=eventfold_commands'
 * # eventfold_commands_total{kind="accepted",type="invoice"} 12.0
 * }</pre>
 */
public final class MetricsEndpoint {

    /** Prometheus' text format 0.0.4: asked of the registry and told to the client, so the two agree. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    /**
     * Serves the given registry.
     *
     * <pre>{@code
     * new MetricsEndpoint(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
     * }</pre>
     *
     * @param registry the service's registry
     */
    public MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            // The server hands this handler every path that starts with /metrics.
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Set<String> names = names(exchange.getRequestURI());
            String text = names.isEmpty() ? registry.scrape(CONTENT_TYPE) : registry.scrape(CONTENT_TYPE, names);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** The values of the {@code name[]} parameters, decoded; none means every metric. */
    private static Set<String> names(URI uri) {
        Set<String> names = new HashSet<>();
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8).equals("name[]")) {
                    names.add(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return names;
    }
}
