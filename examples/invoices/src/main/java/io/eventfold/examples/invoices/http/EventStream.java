package io.eventfold.examples.invoices.http;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * Server-Sent Events to every open browser tab: command results and read-model changes, so
 * several tabs stay in sync. A client that cannot be written to is dropped.
 */
public final class EventStream {

    private final List<Client> clients = new CopyOnWriteArrayList<>();

    /** Keeps the exchange open as an event stream until the client goes away or the stream closes. */
    void attach(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        Client client = new Client(exchange.getResponseBody());
        clients.add(client);
        client.send(": connected\n\n");
        try {
            client.closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(client);
            exchange.close();
        }
    }

    /**
     * Sends one event to every client.
     *
     * @param name the event name, e.g. {@code result} or {@code invoice}
     * @param json the data, one line of JSON
     */
    public void publish(String name, String json) {
        String message = "event: " + name + "\ndata: " + json.replace("\n", " ") + "\n\n";
        for (Client client : clients) {
            client.send(message);
        }
    }

    /** How many clients are listening. */
    public int clients() {
        return clients.size();
    }

    /** Ends every stream, for shutdown. */
    public void close() {
        clients.forEach(client -> client.closed.countDown());
    }

    private static final class Client {
        private final OutputStream out;
        private final CountDownLatch closed = new CountDownLatch(1);

        Client(OutputStream out) {
            this.out = out;
        }

        synchronized void send(String message) {
            try {
                out.write(message.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException gone) {
                closed.countDown();
            }
        }
    }
}
