package io.eventfold.examples.invoices.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfold.examples.invoices.Accounts;
import io.eventfold.examples.invoices.Invoices;
import io.eventfold.examples.invoices.InvoicesApp;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The invoice service end to end: embedded broker, topology, projections and the REST API. */
class InvoicesAppIT {

    @TempDir
    static Path dataDir;

    static InvoicesApp app;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startApp() throws Exception {
        app = InvoicesApp.start(AppConfig.forTests(dataDir));
        ReadyProbe.awaitReady(app.url(), Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopApp() {
        app.close();
    }

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        String etag() {
            return raw.headers().firstValue("ETag").orElse("");
        }
    }

    static Reply post(String path, String body, String ifMatch) throws Exception {
        return post(path, body, ifMatch, null);
    }

    static Reply post(String path, String body, String ifMatch, String idempotencyKey) throws Exception {
        return post(path, body, ifMatch, idempotencyKey, null);
    }

    static Reply post(String path, String body, String ifMatch, String idempotencyKey, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("X-User", user);
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return reply(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    static Reply get(String path) throws Exception {
        return reply(http.send(HttpRequest.newBuilder(URI.create(app.url() + path)).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static Reply reply(HttpResponse<String> response) throws Exception {
        return new Reply(response.statusCode(), response.body().isEmpty() ? null : json.readTree(response.body()), response);
    }

    static JsonNode awaitGet(String path, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode body = get(path).body();
            if (condition.test(body)) {
                return body;
            }
            assertThat(System.nanoTime()).as("GET %s meets the condition within 30 s; last: %s", path, body).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void shouldTakeAnInvoiceThroughItsLifeOverHttp() throws Exception {
        List<String> streamed = openEventStream();

        // Due long after any run of this test, so that its overdue deadline never fires here.
        Reply created = post("/api/invoices", """
                {"invoiceId":"INV-E2E-1","customer":{"name":"Ada Lovelace","email":"ada@example.com"},
                 "issueDate":"2026-11-22","dueDate":"2099-12-22","currency":"EUR"}""", null);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.raw().headers().firstValue("Location")).contains("/api/invoices/INV-E2E-1");
        assertThat(created.etag()).isEqualTo("\"1\"");

        Reply added = post("/api/invoices/INV-E2E-1/commands/add-line-item",
                "{\"lineItem\":{\"lineItemId\":\"li-1\",\"description\":\"Punched cards\",\"quantity\":200,\"unitPrice\":\"0.25\",\"taxRate\":\"0.20\"}}",
                created.etag());
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.body().get("state").get("lineItems")).hasSize(1);

        Reply stale = post("/api/invoices/INV-E2E-1/commands/send", "{}", created.etag());
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.body().get("kind").asText()).isEqualTo("CONFLICT");
        assertThat(stale.etag()).isEqualTo("\"2\"");

        assertThat(post("/api/invoices/INV-E2E-1/commands/send", "{}", added.etag()).status()).isEqualTo(200);

        Reply wrongAmount = post("/api/invoices/INV-E2E-1/commands/pay", "{\"amount\":\"40.00\"}", null);
        assertThat(wrongAmount.status()).isEqualTo(422);
        assertThat(wrongAmount.body().get("rejection").get("code").asText()).isEqualTo("PAYMENT_AMOUNT_MISMATCH");

        Reply paid = post("/api/invoices/INV-E2E-1/commands/pay", "{\"amount\":\"60.00\"}", null);
        assertThat(paid.status()).isEqualTo(200);
        assertThat(paid.body().get("version").asLong()).isEqualTo(4);

        JsonNode invoice = get("/api/invoices/INV-E2E-1").body();
        assertThat(invoice.get("state").get("status").asText()).isEqualTo("PAID");
        assertThat(invoice.get("version").asLong()).isEqualTo(4);

        // A command's result looked up by its id, as a client does after a 504.
        Reply payResult = get("/api/invoices/INV-E2E-1/commands/" + paid.body().get("commandId").asText());
        assertThat(payResult.status()).isEqualTo(200);
        assertThat(payResult.body().get("kind").asText()).isEqualTo("ACCEPTED");
        assertThat(payResult.body().get("version").asLong()).isEqualTo(4);
        Reply rejectedResult = get("/api/invoices/INV-E2E-1/commands/" + wrongAmount.body().get("commandId").asText());
        assertThat(rejectedResult.body().get("rejection").get("code").asText()).isEqualTo("PAYMENT_AMOUNT_MISMATCH");
        Reply unknownCommand = get("/api/invoices/INV-E2E-1/commands/no-such-command-id");
        assertThat(unknownCommand.status()).isEqualTo(404);
        assertThat(unknownCommand.body().get("error").asText()).isEqualTo("COMMAND_NOT_FOUND");

        JsonNode history = awaitGet("/api/invoices/INV-E2E-1/events", body -> body.size() == 4);
        assertThat(history.findValuesAsText("type")).containsExactly("InvoiceCreated", "LineItemAdded", "InvoiceSent", "InvoicePaid");

        JsonNode paidList = awaitGet("/api/invoices?status=PAID", body -> body.findValuesAsText("invoiceId").contains("INV-E2E-1"));
        JsonNode row = paidList.get(0);
        assertThat(row.get("total").decimalValue()).isEqualByComparingTo("60.00");
        assertThat(get("/api/invoices?status=DRAFT").body().findValuesAsText("invoiceId")).doesNotContain("INV-E2E-1");

        // The list's change at the last version (the payment), told once committed.
        awaitStreamed(streamed, line -> line.equals("data: {\"view\":\"INVOICE\",\"id\":\"INV-E2E-1\",\"version\":4}"));
        assertThat(streamed).anyMatch(line -> line.startsWith("data: {\"kind\":\"REJECTED\""));
        assertThat(streamed).contains("event: invoice", "event: result");
    }

    @Test
    void shouldRecordWhoSentEachCommandInItsEventsAndTheHistory() throws Exception {
        // Sent below: due long after any run, so that no deadline adds to its history.
        Reply created = post("/api/invoices", "{\"invoiceId\":\"INV-WHO\",\"customer\":{\"name\":\"Ada\",\"email\":"
                + "\"ada@example.com\"},\"issueDate\":\"2027-01-01\",\"dueDate\":\"2099-02-01\",\"currency\":\"EUR\"}", null, null, "ada");
        assertThat(created.status()).isEqualTo(201);
        Reply added = post("/api/invoices/INV-WHO/commands/add-line-item", "{\"lineItem\":{\"lineItemId\":\"li-1\","
                + "\"description\":\"Ink\",\"quantity\":1,\"unitPrice\":\"5\",\"taxRate\":\"0\"}}", null, null, "ada");
        assertThat(added.status()).isEqualTo(200);
        Reply sent = post("/api/invoices/INV-WHO/commands/send", "{}", null, null, null);
        assertThat(sent.status()).isEqualTo(200);

        JsonNode history = awaitGet("/api/invoices/INV-WHO/events", body -> body.size() == 3);

        assertThat(history.findValuesAsText("type")).containsExactly("InvoiceCreated", "LineItemAdded", "InvoiceSent");
        assertThat(history.get(0).path("user").asText()).as("%s", history.get(0)).isEqualTo("ada");
        assertThat(history.get(1).path("user").asText()).as("%s", history.get(1)).isEqualTo("ada");
        assertThat(history.get(2).path("user").isNull()).as("a command without X-User: %s", history.get(2)).isTrue();
        for (JsonNode entry : history) {
            assertThat(entry.path("correlationId").asText()).as("each command starts its chain").isEqualTo(entry.get("commandId").asText());
        }
        Map<Long, ConsumerRecord<String, byte[]>> records = eventRecords(Invoices.TYPE.topics().events(), "INV-WHO");
        assertThat(records).containsOnlyKeys(1L, 2L, 3L);
        assertThat(EventfoldHeaders.metadata(records.get(1L).headers())).isEqualTo(Map.of("user", "ada"));
        assertThat(EventfoldHeaders.metadata(records.get(2L).headers())).isEqualTo(Map.of("user", "ada"));
        assertThat(EventfoldHeaders.metadata(records.get(3L).headers())).isEmpty();
        assertThat(EventfoldHeaders.correlationId(records.get(2L).headers()))
                .contains(added.body().get("commandId").asText());

        // Beyond the metadata limits (values of at most 1024 characters): refused before it is sent.
        Reply tooLong = post("/api/invoices/INV-WHO/commands/cancel", "{\"reason\":\"no\"}", null, null, "x".repeat(1025));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body().get("error").asText()).isEqualTo("BAD_USER");
    }

    /** The aggregate's event records by version, read committed from the start of the events topic to its end. */
    private static Map<Long, ConsumerRecord<String, byte[]>> eventRecords(String topic, String aggregateId) {
        Map<Long, ConsumerRecord<String, byte[]>> byVersion = new TreeMap<>();
        Properties properties = EventfoldConfig.readCommittedConsumer(app.bootstrapServers(), "history-audit-" + System.nanoTime());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                assertThat(System.nanoTime()).as("read %s to its end within 30 s", topic).isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (aggregateId.equals(record.key())) {
                        byVersion.put(Long.parseLong(EventfoldHeaders.read(record.headers(), EventfoldHeaders.VERSION).orElseThrow()), record);
                    }
                }
            }
        }
        return byVersion;
    }

    @Test
    void shouldMakeAnInvoicePastItsDueDateOverdueOnItsOwnAndKeepItsCustomersBalance() throws Exception {
        List<String> streamed = openEventStream();
        String grace = "{\"name\":\"Grace Hopper\",\"email\":\"Grace@Example.com\"}";
        // Due long ago (an issue date in the past is allowed): its overdue deadline is due as soon as it is sent.
        assertThat(post("/api/invoices", "{\"invoiceId\":\"INV-LATE\",\"customer\":" + grace
                + ",\"issueDate\":\"2020-01-01\",\"dueDate\":\"2020-01-31\",\"currency\":\"EUR\"}", null).status()).isEqualTo(201);
        assertThat(post("/api/invoices/INV-LATE/commands/add-line-item", "{\"lineItem\":{\"lineItemId\":\"li-1\","
                + "\"description\":\"Compiler\",\"quantity\":1,\"unitPrice\":\"100.00\",\"taxRate\":\"0\"}}", null).status()).isEqualTo(200);

        Reply sent = post("/api/invoices/INV-LATE/commands/send", "{}", null, null, "grace");

        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.body().get("state").get("status").asText()).isEqualTo("SENT");
        JsonNode overdue = awaitGet("/api/invoices/INV-LATE", body -> body.path("state").path("status").asText().equals("OVERDUE"));
        assertThat(overdue.get("version").asLong()).isEqualTo(4);
        JsonNode history = awaitGet("/api/invoices/INV-LATE/events", body -> body.size() == 4);
        JsonNode marked = history.get(3);
        assertThat(marked.get("type").asText()).isEqualTo("InvoiceOverdue");
        assertThat(marked.get("payload").get("dueDate").asText()).isEqualTo("2020-01-31");
        // Fired by the deadline the send scheduled: its id names them, it continues the send's chain and keeps its user.
        assertThat(marked.get("commandId").asText()).isEqualTo("INV-LATE/deadline/overdue/3");
        assertThat(marked.get("correlationId").asText()).isEqualTo(sent.body().get("commandId").asText());
        assertThat(marked.get("user").asText()).isEqualTo("grace");
        awaitStreamed(streamed, line -> line.equals("data: {\"view\":\"INVOICE\",\"id\":\"INV-LATE\",\"version\":4}"));

        // The customer's account, by the lower-case address, charged by the process manager when the invoice was sent.
        String account = "/api/accounts/grace@example.com";
        JsonNode charged = awaitGet(account, body -> owed(body).equals("100 in 1"));
        assertThat(charged.get("version").asLong()).isEqualTo(1);
        // A second invoice, not due yet: the balance is both.
        assertThat(post("/api/invoices", "{\"invoiceId\":\"INV-ONTIME\",\"customer\":" + grace
                + ",\"issueDate\":\"2020-01-01\",\"dueDate\":\"2099-01-31\",\"currency\":\"EUR\"}", null).status()).isEqualTo(201);
        assertThat(post("/api/invoices/INV-ONTIME/commands/add-line-item", "{\"lineItem\":{\"lineItemId\":\"li-1\","
                + "\"description\":\"Manual\",\"quantity\":2,\"unitPrice\":\"25.00\",\"taxRate\":\"0\"}}", null).status()).isEqualTo(200);
        assertThat(post("/api/invoices/INV-ONTIME/commands/send", "{}", null).status()).isEqualTo(200);
        awaitGet(account, body -> owed(body).equals("150 in 2"));

        // An overdue invoice can still be paid; its payment is credited.
        Reply paid = post("/api/invoices/INV-LATE/commands/pay", "{\"amount\":\"100.00\"}", null);
        assertThat(paid.status()).isEqualTo(200);
        assertThat(paid.body().get("state").get("status").asText()).isEqualTo("PAID");
        awaitGet(account, body -> owed(body).equals("50 in 1"));
        // Cancelled after it was sent: its charge is reversed.
        assertThat(post("/api/invoices/INV-ONTIME/commands/cancel", "{\"reason\":\"duplicate\"}", null).status()).isEqualTo(200);
        JsonNode settled = awaitGet(account, body -> owed(body).equals("0 in 0"));
        assertThat(settled.get("version").asLong()).isEqualTo(4);

        JsonNode balances = awaitGet("/api/accounts", body -> body.findValues("accountId").stream().anyMatch(id -> id.asText()
                .equals("grace@example.com")) && rowOf(body, "grace@example.com").get("version").asLong() == 4);
        JsonNode row = rowOf(balances, "grace@example.com");
        assertThat(row.get("currency").asText()).isEqualTo("EUR");
        assertThat(row.get("owed").decimalValue()).isEqualByComparingTo("0");
        assertThat(row.get("openInvoices").asInt()).isZero();
        awaitStreamed(streamed, line -> line.equals("data: {\"view\":\"ACCOUNT\",\"id\":\"grace@example.com\",\"version\":4}"));
        // Each account command's id is derived from the invoice event that caused it, so a replay is deduplicated.
        Map<Long, ConsumerRecord<String, byte[]>> records = eventRecords(Accounts.TYPE.topics().events(), "grace@example.com");
        assertThat(records.values()).extracting(record -> EventfoldHeaders.commandId(record.headers()).orElseThrow()).containsExactly(
                "invoice-accounts/invoice/INV-LATE/3/0", "invoice-accounts/invoice/INV-ONTIME/3/0",
                "invoice-accounts/invoice/INV-LATE/5/0", "invoice-accounts/invoice/INV-ONTIME/4/0");
        Reply nobody = get("/api/accounts/nobody@example.com");
        assertThat(nobody.status()).isEqualTo(404);
        assertThat(nobody.body().get("error").asText()).isEqualTo("ACCOUNT_NOT_FOUND");
    }

    /** {@code "<owed> in <open invoices>"} of an account's EUR balance (no trailing zeros), or what the body was instead. */
    private static String owed(JsonNode account) {
        JsonNode eur = account.path("balances").path("EUR");
        return eur.isMissingNode() ? String.valueOf(account)
                : eur.get("owed").decimalValue().stripTrailingZeros().toPlainString() + " in " + eur.get("openInvoices").asInt();
    }

    private static JsonNode rowOf(JsonNode balances, String accountId) {
        for (JsonNode row : balances) {
            if (row.get("accountId").asText().equals(accountId)) {
                return row;
            }
        }
        throw new AssertionError("no row of " + accountId + " in " + balances);
    }

    @Test
    void shouldReportEachProjectionRunningAtLagZeroAndTheServiceHealthy() throws Exception {
        JsonNode projections = awaitGet("/api/projections", body -> body.size() == 3
                && body.findValuesAsText("state").stream().allMatch("RUNNING"::equals));
        assertThat(projections.findValuesAsText("name")).containsExactly("invoice-list", "invoice-history", "account-balances");
        for (JsonNode projection : projections) {
            assertThat(projection.get("lag").asLong()).as(projection.toString()).isZero();
            // 1, or 2 once the rebuild test ran
            assertThat(projection.get("generation").asInt()).as(projection.toString()).isPositive();
            assertThat(projection.get("error").isNull()).as(projection.toString()).isTrue();
        }
        Reply health = get("/api/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asText()).isEqualTo("UP");
        assertThat(health.body().get("projections")).hasSize(3);
    }

    @Test
    void shouldServeItsMetersAtMetricsInPrometheusTextFormat() throws Exception {
        String accepted = "eventfold_commands_total{kind=\"accepted\",type=\"invoice\"}";
        String rejected = "eventfold_commands_total{kind=\"rejected\",type=\"invoice\"}";
        String handled = "eventfold_commands_handling_seconds_count{type=\"invoice\"}";
        String answered = "eventfold_gateway_commands_seconds_count{outcome=\"accepted\",type=\"invoice\"}";
        // Before the topology's first command its meters may not be registered yet: none counted.
        String before = metrics().body();

        assertThat(post("/api/invoices", "{\"invoiceId\":\"INV-METRICS\",\"customer\":{\"name\":\"Ann\",\"email\":"
                + "\"ann@example.com\"},\"issueDate\":\"2027-01-01\",\"dueDate\":\"2099-02-01\",\"currency\":\"EUR\"}", null).status())
                .isEqualTo(201);
        assertThat(post("/api/invoices/INV-METRICS/commands/send", "{}", null).status()).as("empty: rejected").isEqualTo(422);
        assertThat(post("/api/invoices/INV-METRICS/commands/add-line-item", "{\"lineItem\":{\"lineItemId\":\"li-1\","
                + "\"description\":\"Ink\",\"quantity\":1,\"unitPrice\":\"5\",\"taxRate\":\"0\"}}", null).status()).isEqualTo(200);

        HttpResponse<String> response = metrics();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        String after = response.body();
        // Counted by the topology before the result it commits can be read: there once the command is answered.
        assertThat(present(after, accepted) - sample(before, accepted).orElse(0.0)).as(accepted).isGreaterThanOrEqualTo(2);
        assertThat(present(after, rejected) - sample(before, rejected).orElse(0.0)).as(rejected).isGreaterThanOrEqualTo(1);
        assertThat(present(after, handled) - sample(before, handled).orElse(0.0)).as(handled).isGreaterThanOrEqualTo(3);
        // The gateway times a command once its answer is handed over, which may be just after the caller has it.
        double answeredBefore = sample(before, answered).orElse(0.0);
        String timed = awaitMetrics(body -> sample(body, answered).orElse(0.0) - answeredBefore >= 2);
        assertThat(sample(timed, "eventfold_gateway_commands_seconds{outcome=\"accepted\",type=\"invoice\",quantile=\"0.99\"}"))
                .hasValueSatisfying(seconds -> assertThat(seconds).isPositive());
        assertThat(sample(timed, "eventfold_gateway_pending{type=\"invoice\"}")).isPresent();
        for (String projection : List.of("invoice-list", "invoice-history", "account-balances")) {
            assertThat(sample(timed, "eventfold_projection_lag{projection=\"" + projection + "\"}")).as(projection).isPresent();
        }
        // The JVM's meters and Kafka Streams' own, bound beside Eventfold's.
        assertThat(timed.lines()).anyMatch(line -> line.startsWith("jvm_memory_used_bytes{"));
        assertThat(timed.lines()).anyMatch(line -> line.startsWith("kafka_stream_thread_process_total{"));
    }

    private static HttpResponse<String> metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.url() + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one series (name and labels as the text writes them) in Prometheus' text format, if it is there. */
    private static Optional<Double> sample(String text, String series) {
        return text.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()));
    }

    private static double present(String text, String series) {
        Optional<Double> value = sample(text, series);
        assertThat(value).as("%s in GET /metrics", series).isPresent();
        return value.get();
    }

    private static String awaitMetrics(Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String body = metrics().body();
            if (condition.test(body)) {
                return body;
            }
            assertThat(System.nanoTime()).as("GET /metrics meets the condition within 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void shouldRebuildTheHistoryIntoANewGenerationWhileItStaysReadable() throws Exception {
        Reply created = post("/api/invoices", "{\"invoiceId\":\"INV-REBUILD\",\"customer\":{\"name\":\"Ann\",\"email\":"
                + "\"ann@example.com\"},\"issueDate\":\"2027-01-01\",\"dueDate\":\"2027-02-01\",\"currency\":\"EUR\"}", null);
        assertThat(created.status()).isEqualTo(201);
        awaitGet("/api/invoices/INV-REBUILD/events", body -> body.size() == 1);
        int before = generationOf(get("/api/projections").body(), "invoice-history");

        Reply requested = post("/api/projections/invoice-history/rebuild", "", null);

        assertThat(requested.status()).isEqualTo(202);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (generationOf(get("/api/projections").body(), "invoice-history") == before) {
            assertThat(get("/api/invoices/INV-REBUILD/events").body()).as("the history while it is rebuilt").hasSize(1);
            assertThat(System.nanoTime()).as("generation %d live within 60 s", before + 1).isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(generationOf(get("/api/projections").body(), "invoice-history")).isEqualTo(before + 1);
        assertThat(get("/api/invoices/INV-REBUILD/events").body()).hasSize(1);
        assertThat(post("/api/projections/no-such/rebuild", "", null).status()).isEqualTo(404);
    }

    private static int generationOf(JsonNode projections, String name) {
        for (JsonNode projection : projections) {
            if (projection.get("name").asText().equals(name)) {
                return projection.get("generation").asInt();
            }
        }
        throw new AssertionError("no projection " + name + " in " + projections);
    }

    @Test
    void shouldHandleACommandSentTwiceWithOneIdempotencyKeyOnce() throws Exception {
        String create = "{\"invoiceId\":\"INV-KEY-1\",\"customer\":{\"name\":\"Ada\",\"email\":\"ada@example.com\"},"
                + "\"issueDate\":\"2026-11-22\",\"dueDate\":\"2026-12-22\",\"currency\":\"EUR\"}";
        assertThat(post("/api/invoices", create, null, "create-INV-KEY-1").status()).isEqualTo(201);
        assertThat(post("/api/invoices", create, null, "create-INV-KEY-1").status()).as("the same creation again").isEqualTo(201);
        String line = "{\"lineItem\":{\"lineItemId\":\"li-1\",\"description\":\"Ink\",\"quantity\":1,\"unitPrice\":\"5\",\"taxRate\":\"0\"}}";

        Reply first = post("/api/invoices/INV-KEY-1/commands/add-line-item", line, null, "add-li-1");
        Reply again = post("/api/invoices/INV-KEY-1/commands/add-line-item", line, null, "add-li-1");

        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).as("answered with the first result, not rejected as a second line item").isEqualTo(200);
        assertThat(again.body().get("version").asLong()).isEqualTo(2);
        assertThat(get("/api/invoices/INV-KEY-1").body().get("version").asLong()).isEqualTo(2);
        assertThat(get("/api/invoices/INV-KEY-1/commands/add-li-1").body().get("kind").asText()).isEqualTo("ACCEPTED");
        Reply badKey = post("/api/invoices/INV-KEY-1/commands/send", "{}", null, "not a key");
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(badKey.body().get("error").asText()).isEqualTo("BAD_IDEMPOTENCY_KEY");
    }

    @Test
    void shouldListInvoicesByDueDate() throws Exception {
        for (String[] invoice : List.of(new String[] {"INV-SORT-B", "2027-03-01"}, new String[] {"INV-SORT-A", "2027-02-01"})) {
            Reply created = post("/api/invoices", "{\"invoiceId\":\"" + invoice[0] + "\",\"customer\":{\"name\":\"Bob\",\"email\":"
                    + "\"bob@example.com\"},\"issueDate\":\"2027-01-01\",\"dueDate\":\"" + invoice[1] + "\",\"currency\":\"EUR\"}", null);
            assertThat(created.status()).isEqualTo(201);
        }

        JsonNode drafts = awaitGet("/api/invoices?status=DRAFT", body -> body.findValuesAsText("invoiceId").containsAll(
                List.of("INV-SORT-A", "INV-SORT-B")));

        List<String> ids = drafts.findValuesAsText("invoiceId");
        assertThat(ids.indexOf("INV-SORT-A")).isLessThan(ids.indexOf("INV-SORT-B"));
    }

    @Test
    void shouldAnswerBadRequestsWithTheirStatus() throws Exception {
        assertThat(post("/api/invoices", "{not json", null).status()).isEqualTo(400);
        assertThat(post("/api/invoices/INV-X/commands/teleport", "{}", null).status()).isEqualTo(404);
        assertThat(post("/api/invoices/INV-X/commands/send", "{}", "\"soon\"").status()).isEqualTo(400);
        assertThat(post("/api/invoices/INV-X/commands/send", "{}", "\"-1\"").status()).isEqualTo(400);
        assertThat(post("/api/invoices", "{\"invoiceId\":\"  \"}", null).status()).isEqualTo(400);
        assertThat(post("/api/invoices", "{\"invoiceId\":42}", null).status()).isEqualTo(400);
        assertThat(get("/api/invoices/INV-NOBODY").status()).isEqualTo(404);
        Reply missing = post("/api/invoices/INV-NOBODY/commands/send", "{}", null);
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.body().get("rejection").get("code").asText()).isEqualTo("INVOICE_NOT_FOUND");
        Reply invalid = post("/api/invoices", "{\"customer\":{\"name\":\"Eve\",\"email\":\"not-an-email\"},"
                + "\"issueDate\":\"2026-11-22\",\"dueDate\":\"2026-12-22\",\"currency\":\"EUR\"}", null);
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.body().get("rejection").get("code").asText()).isEqualTo("INVALID_EMAIL");
    }

    private static List<String> openEventStream() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(app.url() + "/api/stream")).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception closed) {
                // the app stopped
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static void awaitStreamed(List<String> lines, Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (lines.stream().noneMatch(wanted)) {
            assertThat(System.nanoTime()).as("the event stream sends the change within 30 s; got %s", lines).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
