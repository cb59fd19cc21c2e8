package io.eventfold.kafka.client;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JDK-HTTP transport: requests and replies round-trip unchanged, and every failure is a reply or a failed future. */
class HttpStoreTransportTest {

    private HttpStoreTransport server;
    private HttpStoreTransport client;
    private final List<StoreRequest> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpStoreTransport.start(new InetSocketAddress("localhost", 0));
        client = HttpStoreTransport.start(new InetSocketAddress("localhost", 0));
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private HostInfo serverHost() {
        return new HostInfo("localhost", server.port());
    }

    @Test
    void shouldCarryEveryFieldOfARequestAndTheEnvelopeBack() {
        byte[] envelope = "{\"aggregateId\":\"a/b c?&=é\",\"version\":3}".getBytes(StandardCharsets.UTF_8);
        server.serve("invoice", request -> {
            received.add(request);
            return CompletableFuture.completedFuture(StoreReply.found(envelope));
        });
        StoreRequest snapshot = StoreRequest.snapshot("invoice", "a/b c?&=é+%", Staleness.atMost(7));
        StoreRequest await = StoreRequest.awaitVersion("invoice", "INV-1", 4, Duration.ofMillis(1500));
        StoreRequest result = StoreRequest.commandResult("invoice", "INV-1", "cmd #1&x=y", Staleness.NONE);

        for (StoreRequest request : List.of(snapshot, await, result)) {
            StoreReply reply = client.send(serverHost(), request).join();
            assertThat(reply.status()).isEqualTo(StoreReply.Status.FOUND);
            assertThat(reply.body()).isEqualTo(envelope);
        }

        assertThat(received).containsExactly(snapshot, await, result);
    }

    @Test
    void shouldCarryEveryKindOfReply() {
        StoreReply[] next = new StoreReply[1];
        server.serve("invoice", request -> CompletableFuture.completedFuture(next[0]));
        for (StoreReply.Status status : StoreReply.Status.values()) {
            if (status == StoreReply.Status.FOUND) {
                continue;
            }
            next[0] = StoreReply.of(status, "why: " + status);
            StoreReply reply = client.send(serverHost(), StoreRequest.snapshot("invoice", "INV-1", Staleness.NONE)).join();
            assertThat(reply.status()).isEqualTo(status);
            assertThat(reply.message()).isEqualTo("why: " + status);
        }
    }

    @Test
    void shouldAnswerUnavailableForATypeNotServedAndAfterStopServing() {
        StoreRequest request = StoreRequest.snapshot("customer", "C-1", Staleness.NONE);
        assertThat(client.send(serverHost(), request).join().status()).isEqualTo(StoreReply.Status.UNAVAILABLE);

        server.serve("customer", r -> CompletableFuture.completedFuture(StoreReply.of(StoreReply.Status.NOT_FOUND, "none")));
        assertThat(client.send(serverHost(), request).join().status()).isEqualTo(StoreReply.Status.NOT_FOUND);
        server.stopServing("customer");

        StoreReply reply = client.send(serverHost(), request).join();
        assertThat(reply.status()).isEqualTo(StoreReply.Status.UNAVAILABLE);
        assertThat(reply.message()).isEqualTo("this instance serves no store of aggregate type customer");
    }

    @Test
    void shouldAnswerFailedWhenTheHandlerThrowsOrItsFutureFails() {
        server.serve("invoice", request -> {
            if (request.aggregateId().equals("throws")) {
                throw new IllegalStateException("handler bug");
            }
            return CompletableFuture.failedFuture(new IllegalArgumentException("future failed"));
        });

        StoreReply thrown = client.send(serverHost(), StoreRequest.snapshot("invoice", "throws", Staleness.NONE)).join();
        StoreReply failed = client.send(serverHost(), StoreRequest.snapshot("invoice", "fails", Staleness.NONE)).join();

        assertThat(thrown.status()).isEqualTo(StoreReply.Status.FAILED);
        assertThat(thrown.message()).isEqualTo("java.lang.IllegalStateException: handler bug");
        assertThat(failed.status()).isEqualTo(StoreReply.Status.FAILED);
        assertThat(failed.message()).isEqualTo("java.lang.IllegalArgumentException: future failed");
    }

    @Test
    void shouldFailTheFutureWhenNoInstanceListens() throws IOException {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> client.send(new HostInfo("localhost", freePort),
                StoreRequest.snapshot("invoice", "INV-1", Staleness.NONE)).join())
                .hasCauseInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void shouldFailTheFutureWhenTheServerIsNotAStoreTransport() throws IOException {
        HttpServer other = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        other.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        other.start();
        try {
            assertThatThrownBy(() -> client.send(new HostInfo("localhost", other.getAddress().getPort()),
                    StoreRequest.snapshot("invoice", "INV-1", Staleness.NONE)).join())
                    .cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("answered HTTP 404 without an Eventfold-Reply header");
        } finally {
            other.stop(0);
        }
    }

    @Test
    void shouldRefuseAFoundReplyWithoutAnEnvelopeAndBoundsOutsideTheRange() {
        assertThatThrownBy(() -> StoreReply.of(StoreReply.Status.FOUND, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Staleness.atMost(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StoreRequest("invoice", StoreRequest.Query.COMMAND_RESULT, "INV-1", null, 0,
                Duration.ZERO, Staleness.NONE)).isInstanceOf(NullPointerException.class).hasMessageContaining("commandId");
    }
}
