package io.eventfold.examples.invoices.http;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Server-Sent Events to every open browser tab: command results and read-model changes, so
 * several tabs stay in sync. Publishing never blocks: each client has a bounded queue that its
 * own request thread writes out, a client that falls behind is dropped, and a heartbeat every
 * 15 seconds finds clients that went away.
 */
public final class EventStream {

    private static final String CLOSE = "close";
    private static final int QUEUE = 256;
    private static final long HEARTBEAT_SECONDS = 15;

    private final List<BlockingQueue<String>> clients = new CopyOnWriteArrayList<>();

    /** Writes this client's events on the calling (request) thread until it goes away or the stream closes. */
    void attach(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
        clients.add(queue);
        try {
            OutputStream out = exchange.getResponseBody();
            write(out, ": connected\n\n");
            while (true) {
                String message = queue.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
                if (CLOSE.equals(message)) {
                    return;
                }
                write(out, message == null ? ": ping\n\n" : message);
            }
        } catch (IOException | InterruptedException gone) {
            // the tab closed, or the server stops
        } finally {
            clients.remove(queue);
            exchange.close();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Queues one event for every client; a client whose queue is full is dropped.
     *
     * @param name the event name, e.g. {@code result} or {@code invoice}
     * @param json the data, one line of JSON
     */
    public void publish(String name, String json) {
        String message = "event: " + name + "\ndata: " + json.replace("\n", " ") + "\n\n";
        for (BlockingQueue<String> queue : clients) {
            if (!queue.offer(message)) {
                clients.remove(queue);
                queue.clear();
                queue.offer(CLOSE);
            }
        }
    }

    /** How many clients are listening. */
    public int clients() {
        return clients.size();
    }

    /** Ends every stream, for shutdown. */
    public void close() {
        for (BlockingQueue<String> queue : clients) {
            queue.clear();
            queue.offer(CLOSE);
        }
    }
}
