package io.eventfold.examples.invoices.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfold.embedded.EmbeddedKafkaMain;
import io.eventfold.examples.invoices.Invoices;
import io.eventfold.examples.invoices.InvoicesApp;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.audit.AuditReport;
import io.eventfold.kafka.audit.LogAudit;
import io.eventfold.kafka.testing.LocalPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invoice service scaled out, as the README's recipe starts it: three instances of
 * {@link InvoicesApp#main}, each its own JVM configured by environment variables (its HTTP and
 * store ports, its data directory, the first broker's address), one broker JVM, one shared
 * PostgreSQL read model. Clients spread line items over all three instances, each command sent
 * with {@code If-Match} (the version a GET on any instance answered) and an
 * {@code Idempotency-Key}; the second instance is killed with {@code kill -9} mid-load and started
 * again on the same ports and data directory. A request whose answer is lost (connection refused
 * or reset, 503, 504) is sent again with the same key to any instance, a conflict with a new one.
 *
 * <p>Afterwards: every line item is on its invoice exactly once, at the version counted; every
 * instance answers every GET (state, history, list, a command's result) the same; the history in
 * the shared read model holds each version once; the page's stream of the third instance heard of
 * every invoice's last change, whichever instance's projection wrote it; and {@link LogAudit}
 * finds nothing wrong. {@code -Dreliability.soak=true} runs four times the invoices.
 */
class SeveralInstancesIT {

    @RegisterExtension
    static final LocalPostgres POSTGRES = new LocalPostgres();

    private static final boolean SOAK = Boolean.getBoolean("reliability.soak");
    private static final int INVOICES = SOAK ? 96 : 24;
    private static final int LINE_ITEMS = 8;
    private static final int CLIENTS = 6;
    private static final int INSTANCES = 3;
    private static final String READY = "Invoices is running at ";
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(6);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<ChildJvm> children = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Commands sent again after no answer, with the same key. */
    private final AtomicInteger retries = new AtomicInteger();
    /** Reads answered 503 or not at all, while an instance was down or the group rebalanced. */
    private final AtomicInteger readsRefused = new AtomicInteger();
    private final AtomicInteger conflicts = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final Map<String, Integer> answeredBy = new ConcurrentHashMap<>();
    private final List<Instance> instances = new ArrayList<>();
    private String bootstrap;

    /** One instance of the service: what it was started with, so it can be started again the same. */
    private record Instance(String name, int httpPort, Map<String, String> env) {
        URI uri(String path) {
            return URI.create("http://localhost:" + httpPort + path);
        }
    }

    private record Reply(int status, JsonNode body) {
    }

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
    }

    @Test
    void shouldLoseAndDoubleNothingAndAnswerEveryReadOnEveryInstanceWhenOneOfThreeIsKilledAndRestarted() throws Exception {
        long start = System.nanoTime();
        ChildJvm broker = ChildJvm.start("broker", dir.resolve("logs"), EmbeddedKafkaMain.READY, EmbeddedKafkaMain.class,
                dir.resolve("kafka").toString(), Integer.toString(freePort()));
        children.add(broker);
        bootstrap = broker.readyLine();
        for (int i = 1; i <= INSTANCES; i++) {
            Instance instance = instance("instance-" + i);
            instances.add(instance);
            children.add(ChildJvm.start(instance.name(), dir.resolve("logs"), READY, instance.env(), InvoicesApp.class));
        }
        for (Instance instance : instances) {
            await(() -> get(instance, "/api/invoices/NONE").status() == 404, Duration.ofMinutes(2), instance.name() + " answers reads");
        }
        Instance listening = instances.get(2);
        Map<String, Long> heard = new ConcurrentHashMap<>();
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> listen(listening, heard));

        List<String> invoiceIds = IntStream.rangeClosed(1, INVOICES).mapToObj(i -> "INV-SCALED-" + i).toList();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<CompletableFuture<Void>> load = IntStream.range(0, CLIENTS)
                .mapToObj(client -> CompletableFuture.runAsync(() -> drive(invoiceIds, client), clients)).toList();
        CompletableFuture<Void> running = CompletableFuture.allOf(load.toArray(CompletableFuture[]::new));
        int total = INVOICES * (1 + LINE_ITEMS);

        await(() -> completed.get() >= total / 3 || running.isDone(), Duration.ofMinutes(3), "a third of the load");
        Instance killed = instances.get(1);
        ChildJvm victim = children.get(2);
        victim.kill();
        children.remove(victim);
        Thread.sleep(1_000);
        assertThat(running).as("the restart falls in the load").isNotDone();
        children.add(ChildJvm.start(killed.name() + "-restarted", dir.resolve("logs"), READY, killed.env(), InvoicesApp.class));
        running.get(LOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        clients.shutdown();
        assertThat(completed.get()).isEqualTo(total);
        assertThat(answeredBy.keySet()).as("commands answered by every instance").hasSize(INSTANCES);

        long lastVersion = 1 + LINE_ITEMS;
        // Once the group settles, every instance answers every read, the same.
        await(() -> invoiceIds.stream().allMatch(id -> instances.stream().allMatch(i -> get(i, "/api/invoices/" + id).status() == 200)),
                Duration.ofMinutes(2), "every instance answering for every invoice");
        Set<String> expectedItems = IntStream.rangeClosed(1, LINE_ITEMS).mapToObj(k -> "item-" + k).collect(Collectors.toCollection(TreeSet::new));
        for (String id : invoiceIds) {
            for (Instance instance : instances) {
                Reply state = get(instance, "/api/invoices/" + id);
                assertThat(state.status()).as("%s on %s", id, instance.name()).isEqualTo(200);
                assertThat(state.body().get("version").asLong()).as("%s on %s", id, instance.name()).isEqualTo(lastVersion);
                assertThat(lineItemIds(state.body())).as("%s on %s: each line item once", id, instance.name()).isEqualTo(expectedItems);
                Reply created = get(instance, "/api/invoices/" + id + "/commands/create-" + id);
                assertThat(created.status()).as("the look-up of %s's creation on %s", id, instance.name()).isEqualTo(200);
                assertThat(created.body().get("kind").asText()).isEqualTo("ACCEPTED");
            }
        }

        // The shared read model: each version once in every history, every row at the last version, on every instance.
        for (Instance instance : instances) {
            await(() -> listed(instance).equals(versions(invoiceIds, lastVersion)), Duration.ofMinutes(2), "the list on " + instance.name());
            for (String id : invoiceIds) {
                JsonNode history = get(instance, "/api/invoices/" + id + "/events").body();
                List<Long> versions = new ArrayList<>();
                history.forEach(entry -> versions.add(entry.get("version").asLong()));
                assertThat(versions).as("the history of %s on %s", id, instance.name())
                        .isEqualTo(LongStream.rangeClosed(1, lastVersion).boxed().toList());
            }
        }
        // The page on the third instance heard of every invoice's last change, whichever instance projected it.
        await(() -> versions(invoiceIds, lastVersion).entrySet().stream().allMatch(e -> e.getValue().equals(heard.get(e.getKey()))),
                Duration.ofMinutes(1), "invoice changes heard on " + listening.name() + ": " + heard);
        stream.cancel(true);

        AuditReport report = LogAudit.of(Invoices.TYPE).run(EventfoldConfig.readCommittedConsumer(bootstrap, "audit"));
        ReliabilitySummary.record("three service instances behind HTTP (If-Match, Idempotency-Key), one killed with kill -9 and "
                        + "restarted; PostgreSQL read model shared (" + INVOICES + " invoices; " + conflicts.get() + " conflicts; "
                        + readsRefused.get() + " reads refused while the group settled)",
                total, "1 × kill -9 of 3 instances", retries.get(), report, start);
        assertThat(report.violations()).isEmpty();
        assertThat(report.results()).isGreaterThanOrEqualTo(total);
    }

    /** One client: creates its share of the invoices, then adds their line items round-robin, each to a random instance. */
    private void drive(List<String> invoiceIds, int client) {
        List<String> mine = IntStream.range(0, invoiceIds.size()).filter(i -> i % CLIENTS == client).mapToObj(invoiceIds::get).toList();
        mine.forEach(this::create);
        for (int k = 1; k <= LINE_ITEMS; k++) {
            for (String id : mine) {
                addLineItem(id, "item-" + k);
            }
        }
    }

    private void create(String id) {
        String body = "{\"invoiceId\":\"" + id + "\",\"customer\":{\"name\":\"Ada\",\"email\":\"ada@example.com\"},"
                + "\"issueDate\":\"2026-11-30\",\"dueDate\":\"2026-12-30\",\"currency\":\"EUR\"}";
        long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
        while (true) {
            Instance instance = anyInstance();
            Reply reply = post(instance, "/api/invoices", body, null, "create-" + id);
            if (reply.status() == 201) {
                accepted(instance);
                return;
            }
            retries.incrementAndGet();
            unknown(reply, "create " + id, deadline);
        }
    }

    /**
     * Adds a line item with {@code If-Match} of the version a GET answered. The key stays the same
     * while the answer is unknown, so a command that was handled is answered again, not done twice;
     * a conflict is an answer (not applied), so the next attempt is a new command.
     */
    private void addLineItem(String id, String lineItemId) {
        long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
        int attempt = 1;
        while (true) {
            Reply state = get(anyInstance(), "/api/invoices/" + id);
            if (state.status() != 200) {
                readsRefused.incrementAndGet();
                unknown(state, "read " + id, deadline);
                continue;
            }
            if (lineItemIds(state.body()).contains(lineItemId) && attempt > 1) {
                // Added by an attempt whose answer this client did not see, or a conflict's retry raced it.
                completed.incrementAndGet();
                return;
            }
            String body = "{\"lineItem\":{\"lineItemId\":\"" + lineItemId + "\",\"description\":\"Consulting\",\"quantity\":1,"
                    + "\"unitPrice\":100,\"taxRate\":0.2}}";
            Instance instance = anyInstance();
            Reply reply = post(instance, "/api/invoices/" + id + "/commands/add-line-item", body,
                    "\"" + state.body().get("version").asLong() + "\"", id + "-" + lineItemId + "-" + attempt);
            if (reply.status() == 200) {
                accepted(instance);
                return;
            }
            if (reply.status() == 409) {
                conflicts.incrementAndGet();
                attempt++;
                continue;
            }
            retries.incrementAndGet();
            unknown(reply, "add " + lineItemId + " to " + id, deadline);
        }
    }

    private void accepted(Instance instance) {
        completed.incrementAndGet();
        answeredBy.merge(instance.name(), 1, Integer::sum);
    }

    /** No answer (-1: not connected), 503 or 504: wait a little and try again; anything else ends the test. */
    private void unknown(Reply reply, String what, long deadline) {
        assertThat(reply.status()).as("%s: %s", what, reply.body()).isIn(-1, 503, 504);
        assertThat(System.nanoTime()).as("%s answered in time", what).isLessThan(deadline);
        try {
            Thread.sleep(100 + ThreadLocalRandom.current().nextInt(200));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Instance anyInstance() {
        return instances.get(ThreadLocalRandom.current().nextInt(instances.size()));
    }

    private Instance instance(String name) throws IOException {
        int httpPort = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("STORE_PORT", Integer.toString(freePort()));
        env.put("EVENTFOLD_DATA_DIR", dir.resolve(name).toString());
        env.put("JDBC_URL", POSTGRES.jdbcUrl());
        env.put("TOPIC_PARTITIONS", "6");
        return new Instance(name, httpPort, Map.copyOf(env));
    }

    private Map<String, Long> listed(Instance instance) {
        Reply list = get(instance, "/api/invoices");
        Map<String, Long> versions = new HashMap<>();
        if (list.status() == 200) {
            list.body().forEach(row -> versions.put(row.get("invoiceId").asText(), row.get("version").asLong()));
        }
        return versions;
    }

    private static Map<String, Long> versions(List<String> invoiceIds, long version) {
        return invoiceIds.stream().collect(Collectors.toMap(id -> id, id -> version));
    }

    private static Set<String> lineItemIds(JsonNode invoice) {
        Set<String> ids = new TreeSet<>();
        List<String> all = invoice.get("state").get("lineItems").findValuesAsText("lineItemId");
        ids.addAll(all);
        assertThat(all).as("line items of %s, no id twice", invoice.get("invoiceId")).hasSameSizeAs(ids);
        return ids;
    }

    /** Reads the page's event stream of {@code instance}, keeping the last version heard of per invoice. */
    private void listen(Instance instance, Map<String, Long> heard) {
        HttpRequest request = HttpRequest.newBuilder(instance.uri("/api/stream")).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = null;
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("event: ")) {
                        event = line.substring("event: ".length());
                    } else if (line.startsWith("data: ") && "invoice".equals(event)) {
                        JsonNode change = MAPPER.readTree(line.substring("data: ".length()));
                        heard.merge(change.get("id").asText(), change.get("version").asLong(), Math::max);
                    }
                }
            }
        } catch (IOException e) {
            // the instance stopped, or the test is over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Reply get(Instance instance, String path) {
        return exchange(HttpRequest.newBuilder(instance.uri(path)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    private Reply post(Instance instance, String path, String body, String ifMatch, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(instance.uri(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return exchange(request.build());
    }

    /** The status and body, or status -1 when the request got no answer (refused, reset, timed out). */
    private Reply exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Reply(response.statusCode(), text.isEmpty() ? MAPPER.nullNode() : MAPPER.readTree(text));
        } catch (IOException e) {
            return new Reply(-1, MAPPER.getNodeFactory().textNode(e.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
