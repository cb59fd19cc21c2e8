package io.eventfold.examples.invoices.http;

import io.eventfold.kafka.EnvelopeFormatException;
import io.eventfold.kafka.SnapshotsRebuildingException;
import io.eventfold.kafka.client.AggregateStore;
import io.eventfold.kafka.client.AggregateUnavailableException;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.kafka.client.CommandTimeoutException;
import io.eventfold.kafka.client.UnreadableResultException;
import io.eventfold.kafka.projection.Generation;
import io.eventfold.kafka.projection.ProjectionStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eventfold.core.Command;
import io.eventfold.core.CommandMetadata;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Snapshot;
import io.eventfold.examples.invoices.Accounts;
import io.eventfold.examples.invoices.Invoices;
import io.eventfold.examples.invoices.account.Account;
import io.eventfold.examples.invoices.account.AccountCommand;
import io.eventfold.examples.invoices.account.AccountEvent;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.examples.invoices.readmodel.ReadModel;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The invoice service's HTTP interface on the JDK's own server: the REST API of
 * {@code docs/client.md}, the event stream, the meters at {@code /metrics} and the web page.
 *
 * <p>Every command carries who sent it: the {@code X-User} request header becomes the command's
 * {@code user} metadata, which its events keep ({@link Invoices#TYPE}'s metadata policy) and the
 * history shows. A request without the header (or with a blank one) sends a command without a user.
 * <strong>There is no authentication in this example: anyone can claim any name.</strong> A real
 * service takes the user from what it has verified (a session, a signed token), never from a
 * header the client chooses.
 *
 * <pre>{@code
 * curl -X POST localhost:8080/api/invoices/INV-1/commands/send -H 'X-User: ada'
 * }</pre>
 */
public final class InvoiceApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InvoiceApi.class);
    /** A client's id for its command, so that it can send it again without doing it twice. */
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Who sends the command, as the client claims it: nothing checks it. */
    private static final String USER = "X-User";
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern INVOICE = Pattern.compile("^/api/invoices/([^/]+)$");
    private static final Pattern EVENTS = Pattern.compile("^/api/invoices/([^/]+)/events$");
    private static final Pattern COMMAND = Pattern.compile("^/api/invoices/([^/]+)/commands/([a-z-]+)$");
    private static final Pattern COMMAND_RESULT = Pattern.compile("^/api/invoices/([^/]+)/commands/([^/]+)$");
    private static final Pattern REBUILD = Pattern.compile("^/api/projections/([^/]+)/rebuild$");
    /** Account ids are email addresses: anything but a slash or white space. */
    private static final Pattern ACCOUNT = Pattern.compile("^/api/accounts/([^/\\s]{1,320})$");
    private static final Map<String, String> COMMANDS = Map.of(
            "add-line-item", "AddLineItem",
            "remove-line-item", "RemoveLineItem",
            "send", "SendInvoice",
            "pay", "PayInvoice",
            "cancel", "CancelInvoice");

    private final CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> gateway;
    private final AggregateStore<InvoiceCommand, InvoiceEvent, Invoice> store;
    private final AggregateStore<AccountCommand, AccountEvent, Account> accounts;
    private final ReadModel readModel;
    private final ProjectionHealth projections;
    private final Supplier<KafkaStreams.State> streamsState;
    private final EventStream stream;
    private final ObjectMapper mapper;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "invoices-http");
        thread.setDaemon(true);
        return thread;
    });

    public InvoiceApi(CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> gateway,
                      AggregateStore<InvoiceCommand, InvoiceEvent, Invoice> store,
                      AggregateStore<AccountCommand, AccountEvent, Account> accounts, ReadModel readModel,
                      ProjectionHealth projections, Supplier<KafkaStreams.State> streamsState, EventStream stream,
                      MetricsEndpoint metrics, ObjectMapper mapper, int port)
            throws IOException {
        this.gateway = gateway;
        this.store = store;
        this.accounts = accounts;
        this.readModel = readModel;
        this.projections = projections;
        this.streamsState = streamsState;
        this.stream = stream;
        this.mapper = mapper;
        this.server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/api/", this::api);
        server.createContext("/metrics", metrics::serve);
        server.createContext("/", StaticFiles::serve);
        server.setExecutor(threads);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                respond(exchange, 500, error("INTERNAL_ERROR", String.valueOf(e.getMessage())));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Matcher matcher;
        if (path.equals("/api/stream") && method.equals("GET")) {
            stream.attach(exchange);
        } else if (path.equals("/api/projections") && method.equals("GET")) {
            respond(exchange, 200, projections.statuses().toString());
        } else if ((matcher = REBUILD.matcher(path)).matches() && method.equals("POST")) {
            rebuild(exchange, matcher.group(1));
        } else if (path.equals("/api/health") && method.equals("GET")) {
            health(exchange);
        } else if (path.equals("/api/ready") && method.equals("GET")) {
            ready(exchange);
        } else if (path.equals("/api/invoices") && method.equals("GET")) {
            list(exchange);
        } else if (path.equals("/api/invoices") && method.equals("POST")) {
            create(exchange);
        } else if ((matcher = COMMAND.matcher(path)).matches() && method.equals("POST")) {
            if (!VALID_ID.matcher(matcher.group(1)).matches()) {
                respond(exchange, 400, error("BAD_INVOICE_ID", "invoice ids are 1-100 letters, digits, '-', '_' or '.'"));
                return;
            }
            command(exchange, matcher.group(1), matcher.group(2));
        } else if ((matcher = COMMAND_RESULT.matcher(path)).matches() && method.equals("GET")) {
            commandResult(exchange, matcher.group(1), matcher.group(2));
        } else if ((matcher = EVENTS.matcher(path)).matches() && method.equals("GET")) {
            String invoiceId = matcher.group(1);
            json(exchange, 200, readModelCall(() -> readModel.history(invoiceId)));
        } else if ((matcher = INVOICE.matcher(path)).matches() && method.equals("GET")) {
            invoice(exchange, matcher.group(1));
        } else if (path.equals("/api/accounts") && method.equals("GET")) {
            json(exchange, 200, readModelCall(() -> readModel.balances().list()));
        } else if ((matcher = ACCOUNT.matcher(path)).matches() && method.equals("GET")) {
            account(exchange, matcher.group(1));
        } else {
            respond(exchange, 404, error("NOT_FOUND", method + " " + path + " is not part of this API"));
        }
    }

    /** 202 once the request is stored; 409 when it cannot be (a newer version is live or building, the database away). */
    private void rebuild(HttpExchange exchange, String name) throws IOException {
        Optional<CompletableFuture<Generation>> requested = projections.rebuild(name);
        if (requested.isEmpty()) {
            respond(exchange, 404, error("NOT_FOUND", "no projection named " + name));
            return;
        }
        CompletableFuture<Generation> future = requested.get();
        if (future.isCompletedExceptionally()) {
            Throwable cause = future.handle((generation, error) -> error).join();
            respond(exchange, 409, error("REBUILD_REFUSED", String.valueOf(cause.getMessage())));
            return;
        }
        respond(exchange, 202, mapper.createObjectNode().put("projection", name).put("rebuild", "REQUESTED").toString());
    }

    /** 200 while every projection runs or recovers on its own; 503 naming a projection that stopped on an error. */
    private void health(HttpExchange exchange) throws IOException {
        Optional<ProjectionStatus> failed = projections.failed();
        ObjectNode body = failed.isPresent()
                ? error("PROJECTION_FAILED", "projection " + failed.get().projection() + " FAILED: "
                        + failed.get().lastError().map(ProjectionStatus.Failure::message).orElse("no error recorded"))
                : mapper.createObjectNode();
        body.put("status", failed.isPresent() ? "DOWN" : "UP");
        body.set("projections", projections.statuses());
        respond(exchange, failed.isPresent() ? 503 : 200, body);
    }

    /**
     * 200 while Kafka Streams runs, so this instance's commands are handled; 503 with Retry-After
     * while it starts, rebalances or has stopped: a load balancer's readiness probe, where
     * {@code /api/health} is the liveness one.
     */
    private void ready(HttpExchange exchange) throws IOException {
        KafkaStreams.State state = streamsState.get();
        boolean ready = state == KafkaStreams.State.RUNNING;
        ObjectNode body = mapper.createObjectNode().put("status", ready ? "READY" : "NOT_READY").put("streams", state.name());
        if (!ready) {
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        respond(exchange, ready ? 200 : 503, body);
    }

    private void list(HttpExchange exchange) throws IOException {
        Optional<String> status = query(exchange.getRequestURI(), "status").filter(value -> !value.isBlank());
        json(exchange, 200, readModelCall(() -> readModel.list(status)));
    }

    private void create(HttpExchange exchange) throws IOException {
        JsonNode body = body(exchange);
        if (body == null) {
            return;
        }
        JsonNode requested = body.get("invoiceId");
        if (requested != null && !requested.isNull() && (!requested.isTextual() || !VALID_ID.matcher(requested.asText()).matches())) {
            respond(exchange, 400, error("BAD_INVOICE_ID", "invoiceId must be 1-100 letters, digits, '-', '_' or '.'"));
            return;
        }
        String invoiceId = requested == null || requested.isNull() ? newInvoiceId() : requested.asText();
        ((ObjectNode) body).remove("invoiceId");
        send(exchange, invoiceId, "CreateInvoice", body, ExpectedVersion.noStream(), true);
    }

    private void command(HttpExchange exchange, String invoiceId, String name) throws IOException {
        String type = COMMANDS.get(name);
        if (type == null) {
            respond(exchange, 404, error("UNKNOWN_COMMAND", "'" + name + "' is not one of " + COMMANDS.keySet()));
            return;
        }
        Optional<ExpectedVersion> expected;
        try {
            expected = expectedVersion(exchange);
        } catch (IllegalArgumentException e) {
            respond(exchange, 400, error("BAD_EXPECTED_VERSION", "If-Match or expectedVersion must be a version number"));
            return;
        }
        JsonNode body = body(exchange);
        if (body != null) {
            send(exchange, invoiceId, type, body, expected.orElse(ExpectedVersion.any()), false);
        }
    }

    private void send(HttpExchange exchange, String invoiceId, String type, JsonNode payload, ExpectedVersion expected,
                      boolean creates) throws IOException {
        InvoiceCommand command;
        try {
            command = Invoices.TYPE.commandCodec().fromJson(type, payload);
        } catch (EnvelopeFormatException e) {
            respond(exchange, 400, error("UNREADABLE_COMMAND", e.getMessage()));
            return;
        }
        String commandId = exchange.getRequestHeaders().getFirst(IDEMPOTENCY_KEY);
        if (commandId != null && !VALID_ID.matcher(commandId).matches()) {
            respond(exchange, 400, error("BAD_IDEMPOTENCY_KEY", IDEMPOTENCY_KEY + " must be 1 to 100 of A-Z a-z 0-9 . _ -"));
            return;
        }
        Map<String, String> metadata = metadata(exchange);
        if (metadata == null) {
            return;
        }
        // The same key is the same command: sent again after a 504 or a lost connection, to any
        // instance, it is handled once and answered with its first result.
        Command<InvoiceCommand> envelope = new Command<>(commandId == null ? Command.newCommandId() : commandId, invoiceId, expected,
                command, metadata);
        try {
            CommandResult<InvoiceEvent, Invoice> result = gateway.send(envelope).join();
            stream.publish("result", resultJson(result));
            respondWithResult(exchange, result, creates);
        } catch (CompletionException e) {
            if (e.getCause() instanceof CommandTimeoutException timeout) {
                ObjectNode body = error("TIMEOUT", timeout.getMessage());
                body.put("commandId", timeout.commandId());
                respond(exchange, 504, body.toString());
            } else if (e.getCause() instanceof UnreadableResultException unreadable && unreadable.accepted()) {
                // Accepted, by a newer build whose events or state this one cannot read (docs/upgrades.md).
                ObjectNode body = error("ACCEPTED_UNREADABLE", unreadable.getMessage());
                body.put("commandId", unreadable.commandId());
                unreadable.version().ifPresent(version -> {
                    body.put("version", version);
                    exchange.getResponseHeaders().set("ETag", "\"" + version + "\"");
                });
                respond(exchange, 202, body.toString());
            } else {
                // The command could not be sent (gateway closed, Kafka unreachable): try again later.
                LOG.warn("command {} for {} not sent", envelope.commandId(), invoiceId, e.getCause());
                exchange.getResponseHeaders().set("Retry-After", "5");
                respond(exchange, 503, error("UNAVAILABLE", String.valueOf(e.getCause().getMessage())));
            }
        }
    }

    /**
     * The command's metadata: {@code user} from the {@code X-User} header, none without it; null
     * after answering 400 when it is beyond the library's limits (which would otherwise fail the command).
     */
    private Map<String, String> metadata(HttpExchange exchange) throws IOException {
        String user = exchange.getRequestHeaders().getFirst(USER);
        if (user == null || user.isBlank()) {
            return Map.of();
        }
        Map<String, String> metadata = Map.of(Invoices.USER, user.strip());
        Optional<String> problem = CommandMetadata.problem(metadata);
        if (problem.isPresent()) {
            respond(exchange, 400, error("BAD_USER", USER + ": " + problem.get()));
            return null;
        }
        return metadata;
    }

    /** Status codes as in docs/client.md. */
    private void respondWithResult(HttpExchange exchange, CommandResult<InvoiceEvent, Invoice> result, boolean creates)
            throws IOException {
        int status;
        if (result.kind() == CommandResult.Kind.ACCEPTED) {
            // Accepted now, or AlreadyAccepted: a retry of a command accepted before, answered from memory.
            status = creates ? 201 : 200;
            exchange.getResponseHeaders().set("ETag", "\"" + result.version() + "\"");
            if (creates) {
                exchange.getResponseHeaders().set("Location", "/api/invoices/" + result.aggregateId());
            }
        } else if (result instanceof CommandResult.Rejected<InvoiceEvent, Invoice>) {
            status = 422;
        } else if (result instanceof CommandResult.Conflict<InvoiceEvent, Invoice>) {
            status = 409;
            exchange.getResponseHeaders().set("ETag", "\"" + result.version() + "\"");
        } else {
            CommandResult.Failed<InvoiceEvent, Invoice> failed = (CommandResult.Failed<InvoiceEvent, Invoice>) result;
            if (SnapshotsRebuildingException.isRebuilding(failed.errorType())) {
                // Still rebuilding when the gateway stopped resending: the same request may be sent again.
                exchange.getResponseHeaders().set("Retry-After", "1");
                status = 503;
            } else {
                status = failed.errorType().equals(EnvelopeFormatException.class.getName()) ? 400 : 500;
            }
        }
        respond(exchange, status, resultJson(result));
    }

    private void invoice(HttpExchange exchange, String invoiceId) throws IOException {
        Optional<Snapshot<Invoice>> snapshot;
        try {
            // Answered by whichever instance hosts the invoice, through the store's transport.
            snapshot = store.get(invoiceId);
        } catch (AggregateUnavailableException | SnapshotsRebuildingException e) {
            notReadable(exchange, e);
            return;
        }
        if (snapshot.isEmpty()) {
            respond(exchange, 404, error("INVOICE_NOT_FOUND", "no invoice " + invoiceId));
            return;
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("invoiceId", invoiceId);
        body.put("version", snapshot.get().version());
        body.set("state", Invoices.TYPE.stateCodec().toJson(snapshot.get().state()));
        body.put("total", snapshot.get().state().total());
        exchange.getResponseHeaders().set("ETag", "\"" + snapshot.get().version() + "\"");
        respond(exchange, 200, body.toString());
    }

    /** An account's current state, from whichever instance hosts it, as {@link #invoice} does for an invoice. */
    private void account(HttpExchange exchange, String accountId) throws IOException {
        Optional<Snapshot<Account>> snapshot;
        try {
            snapshot = accounts.get(accountId);
        } catch (AggregateUnavailableException | SnapshotsRebuildingException e) {
            notReadable(exchange, e);
            return;
        }
        if (snapshot.isEmpty()) {
            respond(exchange, 404, error("ACCOUNT_NOT_FOUND", "no account " + accountId + ": no invoice of this customer was sent"));
            return;
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("accountId", accountId);
        body.put("version", snapshot.get().version());
        body.set("balances", mapper.valueToTree(snapshot.get().state().balances()));
        body.set("state", Accounts.TYPE.stateCodec().toJson(snapshot.get().state()));
        exchange.getResponseHeaders().set("ETag", "\"" + snapshot.get().version() + "\"");
        respond(exchange, 200, body.toString());
    }

    /** What a command (a 504's {@code commandId}) was answered, from the command-id store of the invoice's owner. */
    private void commandResult(HttpExchange exchange, String invoiceId, String commandId) throws IOException {
        Optional<CommandResult<InvoiceEvent, Invoice>> result;
        try {
            result = store.commandResult(invoiceId, commandId);
        } catch (AggregateUnavailableException | SnapshotsRebuildingException e) {
            notReadable(exchange, e);
            return;
        }
        if (result.isEmpty()) {
            respond(exchange, 404, error("COMMAND_NOT_FOUND", "invoice " + invoiceId + " has no remembered result of command "
                    + commandId + ": never handled, failed, or older than the command-id retention"));
            return;
        }
        respond(exchange, 200, resultJson(result.get()));
    }

    /** 503 with Retry-After: no instance answers during a rebalance, or the partition rebuilds its snapshots (docs/evolution.md). */
    private void notReadable(HttpExchange exchange, RuntimeException e) throws IOException {
        exchange.getResponseHeaders().set("Retry-After", "1");
        respond(exchange, 503, error(e instanceof SnapshotsRebuildingException ? "REBUILDING" : "NOT_READY", e.getMessage()));
    }

    private String resultJson(CommandResult<InvoiceEvent, Invoice> result) {
        return new String(Invoices.TYPE.serdes().results().serializer().serialize("", result), StandardCharsets.UTF_8);
    }

    private JsonNode body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            JsonNode json = bytes.length == 0 ? mapper.createObjectNode() : mapper.readTree(bytes);
            if (!json.isObject()) {
                respond(exchange, 400, error("UNREADABLE_BODY", "the body must be a JSON object"));
                return null;
            }
            return json;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            respond(exchange, 400, error("UNREADABLE_BODY", e.getOriginalMessage()));
            return null;
        }
    }

    private static Optional<ExpectedVersion> expectedVersion(HttpExchange exchange) {
        String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
        Optional<String> value = Optional.ofNullable(ifMatch).map(text -> text.replace("\"", "").trim())
                .or(() -> query(exchange.getRequestURI(), "expectedVersion"))
                .filter(text -> !text.isBlank());
        // Long.parseLong's NumberFormatException and a negative version's IllegalArgumentException both mean 400.
        return value.map(text -> ExpectedVersion.exactly(Long.parseLong(text)));
    }

    private static Optional<String> query(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return Optional.of(java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static String newInvoiceId() {
        return "INV-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }

    private <T> T readModelCall(SqlCall<T> call) {
        try {
            return call.run();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("the read model cannot be queried: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T run() throws java.sql.SQLException;
    }

    private ObjectNode error(String code, String message) {
        ObjectNode body = mapper.createObjectNode();
        body.put("error", code);
        body.put("message", message);
        return body;
    }

    private void json(HttpExchange exchange, int status, Object value) throws IOException {
        respond(exchange, status, mapper.writeValueAsString(value));
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        respond(exchange, status, body.toString());
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        stream.close();
        server.stop(1);
        threads.shutdownNow();
    }
}
