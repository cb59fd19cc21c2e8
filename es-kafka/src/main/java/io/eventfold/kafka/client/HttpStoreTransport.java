package io.eventfold.kafka.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The {@link StoreTransport} of es-kafka: plain HTTP on the JDK's own server and client, no
 * other dependency. Each instance serves {@code GET /eventfold/stores/<type>/<query>} on the port
 * it sets in {@code application.server}; the reply's status is in the {@code Eventfold-Reply}
 * header and its body is the envelope as the type's serdes write it (or the message).
 *
 * <pre>{@code
 * HttpStoreTransport transport = HttpStoreTransport.start(new InetSocketAddress(7001));
 * props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "invoices-1.internal:" + transport.port());
 * }</pre>
 *
 * <p>It has no authentication and no TLS: bind it to a network only the instances reach, or
 * implement {@link StoreTransport} over your own server.
 */
public final class HttpStoreTransport implements StoreTransport {

    private static final Logger LOG = LoggerFactory.getLogger(HttpStoreTransport.class);
    private static final String PREFIX = "/eventfold/stores/";
    private static final String STATUS_HEADER = "Eventfold-Reply";
    /** How long a read other than a wait may take before the instance counts as unavailable. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /** A wait is answered by the other instance at its timeout: the request gets this much longer. */
    private static final Duration WAIT_MARGIN = Duration.ofSeconds(5);

    private final HttpServer server;
    private final HttpClient client;
    private final ExecutorService threads;
    private final Map<String, Function<StoreRequest, CompletableFuture<StoreReply>>> handlers = new ConcurrentHashMap<>();

    private HttpStoreTransport(HttpServer server) {
        this.server = server;
        // Waits hold a thread each until answered: a cached pool grows with them.
        this.threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "eventfold-store-transport");
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).executor(threads).build();
        server.createContext(PREFIX, this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /**
     * Serves on a port of every interface.
     *
     * <pre>{@code
     * HttpStoreTransport transport = HttpStoreTransport.start(0);   // a free port: transport.port()
     * }</pre>
     *
     * @param port the port; 0 picks a free one
     * @return the running transport
     * @throws IOException when the port cannot be bound
     */
    public static HttpStoreTransport start(int port) throws IOException {
        return start(new InetSocketAddress(port));
    }

    /**
     * Serves on an address.
     *
     * <pre>{@code
     * HttpStoreTransport transport = HttpStoreTransport.start(new InetSocketAddress("10.0.0.7", 7001));
     * }</pre>
     *
     * @param address the address to bind
     * @return the running transport
     * @throws IOException when the address cannot be bound
     */
    public static HttpStoreTransport start(InetSocketAddress address) throws IOException {
        return new HttpStoreTransport(HttpServer.create(address, 0));
    }

    /**
     * The port it serves on, for {@code application.server}.
     *
     * <pre>{@code
     * props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + transport.port());
     * }</pre>
     *
     * @return the bound port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public CompletableFuture<StoreReply> send(HostInfo host, StoreRequest request) {
        Objects.requireNonNull(host, "host must not be null");
        Objects.requireNonNull(request, "request must not be null");
        Duration timeout = request.query() == StoreRequest.Query.AWAIT_VERSION ? request.timeout().plus(WAIT_MARGIN) : READ_TIMEOUT;
        HttpRequest http = HttpRequest.newBuilder(uri(host, request)).timeout(timeout).GET().build();
        return client.sendAsync(http, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            String status = response.headers().firstValue(STATUS_HEADER).orElseThrow(() -> new IllegalStateException(
                    host.host() + ":" + host.port() + " answered HTTP " + response.statusCode() + " without an "
                            + STATUS_HEADER + " header: it is not an Eventfold store transport"));
            return new StoreReply(StoreReply.Status.valueOf(status), response.body());
        });
    }

    @Override
    public void serve(String type, Function<StoreRequest, CompletableFuture<StoreReply>> handler) {
        handlers.put(Objects.requireNonNull(type, "type must not be null"), Objects.requireNonNull(handler, "handler must not be null"));
    }

    @Override
    public void stopServing(String type) {
        handlers.remove(type);
    }

    /** {@code /eventfold/stores/<type>/<query>?aggregateId=…}: every value URL-encoded, ids may hold any character. */
    static URI uri(HostInfo host, StoreRequest request) {
        StringBuilder query = new StringBuilder()
                .append("aggregateId=").append(encode(request.aggregateId()))
                .append("&maxLag=").append(request.staleness().maxLag());
        if (request.commandId() != null) {
            query.append("&commandId=").append(encode(request.commandId()));
        }
        if (request.query() == StoreRequest.Query.AWAIT_VERSION) {
            query.append("&minVersion=").append(request.minVersion()).append("&timeoutMs=").append(request.timeout().toMillis());
        }
        return URI.create("http://" + host.host() + ":" + host.port() + PREFIX + encode(request.type()) + "/"
                + request.query().name().toLowerCase(Locale.ROOT) + "?" + query);
    }

    /** The request a URI of {@link #uri} describes. */
    static StoreRequest request(URI uri) {
        String[] path = uri.getRawPath().substring(PREFIX.length()).split("/");
        if (path.length != 2) {
            throw new IllegalArgumentException("not a store request: " + uri.getRawPath());
        }
        Map<String, String> parameters = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    parameters.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        String aggregateId = parameters.get("aggregateId");
        if (aggregateId == null) {
            throw new IllegalArgumentException("a store request needs an aggregateId parameter: " + uri);
        }
        return new StoreRequest(URLDecoder.decode(path[0], StandardCharsets.UTF_8),
                StoreRequest.Query.valueOf(path[1].toUpperCase(Locale.ROOT)), aggregateId, parameters.get("commandId"),
                Long.parseLong(parameters.getOrDefault("minVersion", "0")),
                Duration.ofMillis(Long.parseLong(parameters.getOrDefault("timeoutMs", "0"))),
                new Staleness(Long.parseLong(parameters.getOrDefault("maxLag", "-1"))));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            StoreReply reply;
            try {
                StoreRequest request = request(exchange.getRequestURI());
                Function<StoreRequest, CompletableFuture<StoreReply>> handler = handlers.get(request.type());
                reply = handler == null
                        ? StoreReply.of(StoreReply.Status.UNAVAILABLE, "this instance serves no store of aggregate type " + request.type())
                        : handler.apply(request).get();
            } catch (IllegalArgumentException unreadable) {
                reply = StoreReply.of(StoreReply.Status.FAILED, "unreadable store request: " + unreadable.getMessage());
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                reply = StoreReply.of(StoreReply.Status.UNAVAILABLE, "this instance is stopping");
            } catch (ExecutionException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                LOG.warn("a store request {} failed", exchange.getRequestURI(), cause);
                reply = StoreReply.of(StoreReply.Status.FAILED, cause.getClass().getName() + ": " + cause.getMessage());
            }
            exchange.getResponseHeaders().set(STATUS_HEADER, reply.status().name());
            exchange.getResponseHeaders().set("Content-Type", reply.status() == StoreReply.Status.FOUND
                    ? "application/json" : "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(httpStatus(reply.status()), reply.body().length == 0 ? -1 : reply.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    /** For people reading the traffic; the client reads the header. */
    private static int httpStatus(StoreReply.Status status) {
        switch (status) {
            case FOUND:
                return 200;
            case NOT_FOUND:
                return 404;
            case REBUILDING:
            case UNAVAILABLE:
                return 503;
            case TIMED_OUT:
                return 504;
            default:
                return 500;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        handlers.clear();
        server.stop(0);
        threads.shutdownNow();
    }
}
