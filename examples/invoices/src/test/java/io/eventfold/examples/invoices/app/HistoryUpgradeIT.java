package io.eventfold.examples.invoices.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfold.core.Event;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.examples.invoices.Invoices;
import io.eventfold.examples.invoices.InvoicesApp;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.examples.invoices.readmodel.ReadModel;
import io.eventfold.kafka.projection.Delivery;
import io.eventfold.kafka.projection.Generation;
import io.eventfold.kafka.projection.Projection;
import io.eventfold.kafka.projection.ProjectionRunner;
import io.eventfold.kafka.projection.jdbc.JdbcCheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history projection's version 2 (the user and the correlation id of each event) on a read
 * model that version 1 built: the service rebuilds the history from the events into a new
 * generation beside the old one, switches readers over, and leaves version 1's table alone (it is
 * retired and dropped later by the runners), as docs/client.md "Rebuilds and new versions" says.
 */
class HistoryUpgradeIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldRebuildAHistoryOfVersionOneIntoANewGenerationThatShowsTheUsers() throws Exception {
        // Events with users, written by this release into a database of its own.
        try (InvoicesApp writer = InvoicesApp.start(config(jdbcUrl("writer")))) {
            assertThat(post(writer, "/api/invoices", "{\"invoiceId\":\"INV-UP\",\"customer\":{\"name\":\"Ada\",\"email\":"
                    + "\"ada@example.com\"},\"issueDate\":\"2027-01-01\",\"dueDate\":\"2027-02-01\",\"currency\":\"EUR\"}")).isEqualTo(201);
            assertThat(post(writer, "/api/invoices/INV-UP/commands/add-line-item", "{\"lineItem\":{\"lineItemId\":\"li-1\","
                    + "\"description\":\"Ink\",\"quantity\":1,\"unitPrice\":\"5\",\"taxRate\":\"0\"}}")).isEqualTo(200);
        }
        // The read model as the previous release left it: its history, version 1, built from those events.
        String jdbcUrl = jdbcUrl("upgraded");
        JdbcCheckpointStore store = JdbcCheckpointStore.of(() -> DriverManager.getConnection(jdbcUrl));
        store.createTablesIfMissing();
        try (ProjectionRunner<Event<InvoiceEvent>> previous = ProjectionRunner.forEvents(Invoices.TYPE, kafka.bootstrapServers(),
                ReadModel.HISTORY, new HistoryVersion1(), store).start()) {
            await(() -> count(jdbcUrl, "invoice_events_g1") == 2, "version 1 built its history");
        }

        try (InvoicesApp upgraded = InvoicesApp.start(config(jdbcUrl))) {
            // Built beside version 1's generation from the start of the events topic, then switched to.
            await(() -> historyGeneration(store, jdbcUrl, ReadModel.HISTORY_VERSION)
                    .filter(generation -> generation.state() == Generation.State.LIVE).isPresent(), "version 2's generation live");

            JsonNode history = awaitHistory(upgraded, body -> body.isArray() && body.size() == 2);
            assertThat(history.findValuesAsText("type")).containsExactly("InvoiceCreated", "LineItemAdded");
            assertThat(history.findValuesAsText("user")).containsExactly("ada", "ada");
            assertThat(historyGeneration(store, jdbcUrl, ReadModel.HISTORY_VERSION).orElseThrow().number()).isEqualTo(2);
            Generation old = historyGeneration(store, jdbcUrl, 1).orElseThrow();
            assertThat(old.number()).isEqualTo(1);
            assertThat(old.state()).isEqualTo(Generation.State.RETIRED);
            assertThat(count(jdbcUrl, "invoice_events_g1")).as("version 1's table, left alone").isEqualTo(2);
        }
    }

    private static Optional<Generation> historyGeneration(JdbcCheckpointStore store, String jdbcUrl, int version) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
            return store.forReading(connection, ReadModel.HISTORY, version);
        }
    }

    private AppConfig config(String jdbcUrl) {
        return new AppConfig(Optional.of(kafka.bootstrapServers()), 0, dir.resolve("app"), 0, jdbcUrl, 3, (short) 1, 0, "localhost");
    }

    private String jdbcUrl(String name) {
        return "jdbc:h2:file:" + dir.resolve("h2").resolve(name) + ";DB_CLOSE_DELAY=-1";
    }

    private int post(InvoicesApp app, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.url() + path)).header("Content-Type", "application/json")
                .header("X-User", "ada").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private JsonNode awaitHistory(InvoicesApp app, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            JsonNode body = json.readTree(http.send(HttpRequest.newBuilder(URI.create(app.url() + "/api/invoices/INV-UP/events")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (condition.test(body)) {
                return body;
            }
            assertThat(System.nanoTime()).as("the history shows the users within %s; last: %s", TIMEOUT, body).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void await(SqlCondition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.met()) {
            assertThat(System.nanoTime()).as("%s within %s", what, TIMEOUT).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @FunctionalInterface
    private interface SqlCondition {
        boolean met() throws SQLException;
    }

    /** Rows of a table; 0 while it does not exist yet. */
    private static int count(String jdbcUrl, String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             ResultSet tables = connection.getMetaData().getTables(null, null, table.toUpperCase(java.util.Locale.ROOT), null)) {
            if (!tables.next()) {
                return 0;
            }
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** The history projection of the previous release, frozen: version 1, without the user and the correlation id. */
    private static final class HistoryVersion1 implements Projection<Connection, Event<InvoiceEvent>> {

        @Override
        public void createTables(Connection connection, Generation generation) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + generation.table("invoice_events") + " (invoice_id VARCHAR(200) NOT NULL,"
                        + " version BIGINT NOT NULL, type VARCHAR(100) NOT NULL, occurred_at TIMESTAMP NOT NULL,"
                        + " command_id VARCHAR(200) NOT NULL, payload VARCHAR(100000) NOT NULL, PRIMARY KEY (invoice_id, version))");
            }
        }

        @Override
        public void apply(Connection connection, Generation generation, List<Delivery<Event<InvoiceEvent>>> batch) throws SQLException {
            for (Delivery<Event<InvoiceEvent>> delivery : batch) {
                Event<InvoiceEvent> event = delivery.value();
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + generation.table("invoice_events")
                        + " (invoice_id, version, type, occurred_at, command_id, payload) VALUES (?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, event.aggregateId());
                    insert.setLong(2, event.version());
                    insert.setString(3, Invoices.TYPE.eventCodec().typeName(event.payload()));
                    insert.setTimestamp(4, Timestamp.from(event.timestamp()));
                    insert.setString(5, event.commandId());
                    insert.setString(6, Invoices.TYPE.eventCodec().toJson(event.payload()).toString());
                    insert.executeUpdate();
                }
            }
        }

        @Override
        public void dropTables(Connection connection, Generation generation) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + generation.table("invoice_events"));
            }
        }
    }
}
