package io.eventfold.examples.invoices.readmodel;

import io.eventfold.kafka.projection.Delivery;
import io.eventfold.kafka.projection.Generation;
import io.eventfold.kafka.projection.Projection;
import io.eventfold.kafka.projection.jdbc.JdbcCheckpointStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfold.core.CommandMetadata;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.examples.invoices.Invoices;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The invoice service's SQL read model: the invoice list (from snapshots), each invoice's
 * history (from events) and the customer balances ({@link AccountBalances}, from the accounts'
 * snapshots), {@link Projection}s whose runners apply each batch in one
 * transaction with its checkpoints and versions, kept by a {@link JdbcCheckpointStore} in the
 * same database: each version of each invoice is applied exactly once, and a gap in an invoice's
 * history stops the history projection instead of going on without a word. The tables carry the
 * projection's generation ({@code invoices_g1}, {@code invoice_events_g1}); queries find it in the
 * store. The history is at {@linkplain #HISTORY_VERSION version 2}: its rows gained who sent each
 * event's command and the event's correlation id, so a database whose history version 1 built is
 * rebuilt from the events into a new generation beside the old one (left alone until it is
 * retired and dropped). Plain JDBC: H2 by default, PostgreSQL with {@code JDBC_URL=jdbc:postgresql://…}.
 */
public final class ReadModel implements AutoCloseable {

    /** The invoice list's projection name. */
    public static final String LIST = "invoice-list";
    /** The invoice history's projection name. */
    public static final String HISTORY = "invoice-history";
    /**
     * The list's code version: 1, unchanged since the first release. Raise it whenever its table
     * or what it computes changes, so that it is rebuilt into a new generation.
     */
    public static final int LIST_VERSION = 1;
    /**
     * The history's code version: 1 was the first release; 2 added the user and the correlation
     * id of each event ({@code user_name}, {@code correlation_id}).
     */
    public static final int HISTORY_VERSION = 2;

    private final String jdbcUrl;
    private final ObjectMapper mapper;
    private final JdbcCheckpointStore store;
    private final ChangeFeed changes;
    private final AccountBalances balances;

    public ReadModel(String jdbcUrl, ObjectMapper mapper) {
        this.jdbcUrl = jdbcUrl;
        this.mapper = mapper;
        this.store = JdbcCheckpointStore.of(this::connect);
        this.changes = ChangeFeed.of(jdbcUrl, this::connect);
        this.balances = new AccountBalances(changes, store, this::connect);
    }

    /** The customer balances: their projection and their rows, in this database, told through its change feed. */
    public AccountBalances balances() {
        return balances;
    }

    /**
     * Tells {@code listener} of every change committed to the live views from now on: those this
     * instance's projections apply and, on a shared PostgreSQL database, those of every other
     * instance too (through {@code NOTIFY}), so a page hears of every invoice whichever instance
     * it is connected to. Called on a thread of the read model; keep it short.
     */
    public void listen(Consumer<ReadModelChange> listener) {
        changes.listen(listener);
    }

    /** Whether other instances can share this database: true for PostgreSQL, false for the H2 file, which one process opens. */
    public boolean shared() {
        return changes instanceof PostgresChangeFeed;
    }

    /** Stops telling listeners. */
    @Override
    public void close() {
        changes.close();
    }

    /** Where the projections keep their progress, in the read model's database. */
    public JdbcCheckpointStore store() {
        return store;
    }

    /** Creates the checkpoint store's tables; each projection's runner creates its own tables. */
    public void createTables() throws Exception {
        store.createTablesIfMissing();
    }

    /** Keeps the invoice list; its listeners hear of every row it wrote, once committed. */
    public Projection<Connection, Snapshot<Invoice>> invoiceList() {
        return new Projection<>() {
            @Override
            public int version() {
                return LIST_VERSION;
            }

            @Override
            public void createTables(Connection connection, Generation generation) throws SQLException {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE IF NOT EXISTS " + generation.table("invoices") + " (invoice_id VARCHAR(200) PRIMARY KEY,"
                            + " customer_name VARCHAR(200), customer_email VARCHAR(200), status VARCHAR(20) NOT NULL, currency VARCHAR(3),"
                            + " total DECIMAL(19, 4) NOT NULL, issue_date DATE, due_date DATE, line_items INT NOT NULL, version BIGINT NOT NULL)");
                }
            }

            @Override
            public void apply(Connection connection, Generation generation, List<Delivery<Snapshot<Invoice>>> batch) throws SQLException {
                for (Delivery<Snapshot<Invoice>> snapshot : batch) {
                    upsert(connection, generation.table("invoices"), summary(snapshot.value()));
                    if (generation.state() == Generation.State.LIVE) {
                        changes.written(connection, new ReadModelChange(ReadModelChange.View.INVOICE, snapshot.value().aggregateId(), snapshot.value().version()));
                    }
                }
            }

            @Override
            public void dropTables(Connection connection, Generation generation) throws SQLException {
                drop(connection, generation.table("invoices"));
            }

            @Override
            public void committed(Generation generation, List<Delivery<Snapshot<Invoice>>> batch) {
                // A generation being built is nobody's view yet: no page hears of it.
                if (generation.state() == Generation.State.LIVE) {
                    batch.forEach(snapshot -> changes.committed(new ReadModelChange(ReadModelChange.View.INVOICE, snapshot.value().aggregateId(),
                            snapshot.value().version())));
                }
            }
        };
    }

    /** Keeps each invoice's history; its listeners hear of every event it wrote, once committed. */
    public Projection<Connection, Event<InvoiceEvent>> history() {
        return new Projection<>() {
            @Override
            public int version() {
                return HISTORY_VERSION;
            }

            @Override
            public void createTables(Connection connection, Generation generation) throws SQLException {
                // "user" is a reserved word in SQL, hence user_name; null when the command had no user.
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE IF NOT EXISTS " + generation.table("invoice_events") + " (invoice_id VARCHAR(200) NOT NULL,"
                            + " version BIGINT NOT NULL, type VARCHAR(100) NOT NULL, occurred_at TIMESTAMP NOT NULL,"
                            + " command_id VARCHAR(200) NOT NULL, correlation_id VARCHAR(200) NOT NULL,"
                            + " user_name VARCHAR(" + CommandMetadata.MAX_VALUE_LENGTH + "), payload VARCHAR(100000) NOT NULL,"
                            + " PRIMARY KEY (invoice_id, version))");
                }
            }

            @Override
            public void apply(Connection connection, Generation generation, List<Delivery<Event<InvoiceEvent>>> batch) throws SQLException {
                for (Delivery<Event<InvoiceEvent>> event : batch) {
                    insertEvent(connection, generation.table("invoice_events"), event.value());
                    if (generation.state() == Generation.State.LIVE) {
                        changes.written(connection, new ReadModelChange(ReadModelChange.View.HISTORY, event.value().aggregateId(), event.value().version()));
                    }
                }
            }

            @Override
            public void dropTables(Connection connection, Generation generation) throws SQLException {
                // Every version so far names its table invoice_events, version 1's included.
                drop(connection, generation.table("invoice_events"));
            }

            @Override
            public void committed(Generation generation, List<Delivery<Event<InvoiceEvent>>> batch) {
                if (generation.state() == Generation.State.LIVE) {
                    batch.forEach(event -> changes.committed(new ReadModelChange(ReadModelChange.View.HISTORY, event.value().aggregateId(),
                            event.value().version())));
                }
            }
        };
    }

    public List<InvoiceSummary> list(Optional<String> status) throws SQLException {
        try (Connection connection = connect()) {
            Optional<Generation> generation = store.forReading(connection, LIST, LIST_VERSION);
            if (generation.isEmpty()) {
                return List.of();   // the projection has not started yet
            }
            return list(connection, generation.get().table("invoices"), status);
        }
    }

    private List<InvoiceSummary> list(Connection connection, String table, Optional<String> status) throws SQLException {
        String sql = "SELECT invoice_id, customer_name, customer_email, status, currency, total, issue_date, due_date, line_items,"
                + " version FROM " + table + (status.isPresent() ? " WHERE status = ?" : "") + " ORDER BY due_date, invoice_id";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            if (status.isPresent()) {
                select.setString(1, status.get());
            }
            List<InvoiceSummary> rows = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new InvoiceSummary(result.getString(1), result.getString(2), result.getString(3), result.getString(4),
                            result.getString(5), money(result.getBigDecimal(6)),
                            localDate(result.getDate(7)), localDate(result.getDate(8)), result.getInt(9), result.getLong(10)));
                }
            }
            return rows;
        }
    }

    public List<HistoryEntry> history(String invoiceId) throws SQLException {
        try (Connection connection = connect()) {
            Optional<Generation> generation = store.forReading(connection, HISTORY, HISTORY_VERSION);
            if (generation.isEmpty()) {
                return List.of();   // the projection has not started yet
            }
            return history(connection, generation.get().table("invoice_events"), invoiceId);
        }
    }

    private List<HistoryEntry> history(Connection connection, String table, String invoiceId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT version, type, occurred_at, command_id, correlation_id, user_name, payload FROM " + table
                        + " WHERE invoice_id = ? ORDER BY version")) {
            select.setString(1, invoiceId);
            List<HistoryEntry> entries = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    entries.add(new HistoryEntry(result.getLong(1), result.getString(2), result.getTimestamp(3).toInstant(),
                            result.getString(4), result.getString(5), result.getString(6), mapper.readTree(result.getString(7))));
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drop(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    private static InvoiceSummary summary(Snapshot<Invoice> snapshot) {
        Invoice invoice = snapshot.state();
        return new InvoiceSummary(snapshot.aggregateId(), invoice.customer().name(), invoice.customer().email(),
                invoice.status().name(), invoice.currency(), invoice.total(), invoice.issueDate(), invoice.dueDate(),
                invoice.lineItems().size(), snapshot.version());
    }

    private static void upsert(Connection connection, String table, InvoiceSummary row) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET customer_name = ?, customer_email = ?,"
                + " status = ?, currency = ?, total = ?, issue_date = ?, due_date = ?, line_items = ?, version = ? WHERE invoice_id = ?")) {
            bind(update, row, 1);
            update.setString(10, row.invoiceId());
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (customer_name, customer_email, status,"
                + " currency, total, issue_date, due_date, line_items, version, invoice_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(insert, row, 1);
            insert.setString(10, row.invoiceId());
            insert.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, InvoiceSummary row, int first) throws SQLException {
        statement.setString(first, row.customerName());
        statement.setString(first + 1, row.customerEmail());
        statement.setString(first + 2, row.status());
        statement.setString(first + 3, row.currency());
        statement.setBigDecimal(first + 4, row.total());
        statement.setDate(first + 5, row.issueDate() == null ? null : Date.valueOf(row.issueDate()));
        statement.setDate(first + 6, row.dueDate() == null ? null : Date.valueOf(row.dueDate()));
        statement.setInt(first + 7, row.lineItems());
        statement.setLong(first + 8, row.version());
    }

    private static void insertEvent(Connection connection, String table, Event<InvoiceEvent> event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + table + " (invoice_id, version, type, occurred_at, command_id, correlation_id, user_name, payload)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, event.aggregateId());
            insert.setLong(2, event.version());
            insert.setString(3, Invoices.TYPE.eventCodec().typeName(event.payload()));
            insert.setTimestamp(4, Timestamp.from(event.timestamp()));
            insert.setString(5, event.commandId());
            insert.setString(6, event.correlationId());
            // Events written before the metadata existed, or by a command without a user, have none.
            insert.setString(7, event.metadata().get(Invoices.USER));
            insert.setString(8, Invoices.TYPE.eventCodec().toJson(event.payload()).toString());
            insert.executeUpdate();
        }
    }

    /** The column keeps four decimals; show at least two and no trailing zeros beyond them. */
    static java.math.BigDecimal money(java.math.BigDecimal amount) {
        java.math.BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 2 ? stripped.setScale(2) : stripped;
    }

    private static java.time.LocalDate localDate(Date date) {
        return date == null ? null : date.toLocalDate();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl);
    }
}
