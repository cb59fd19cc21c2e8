package io.eventfold.examples.invoices.readmodel;

import io.eventfold.kafka.projection.Projection;
import io.eventfold.kafka.projection.VersionGuard;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The invoice service's SQL read model: the invoice list (from snapshots) and each invoice's
 * history (from events). Both projections guard every row with a {@link VersionGuard}, so
 * redeliveries and rebuilds never count a version twice. Plain JDBC: H2 by default, PostgreSQL
 * with {@code JDBC_URL=jdbc:postgresql://…}.
 */
public final class ReadModel {

    private final String jdbcUrl;
    private final ObjectMapper mapper;
    private final VersionGuard listGuard = VersionGuard.forProjection("invoice-list");
    private final VersionGuard historyGuard = VersionGuard.forProjection("invoice-history");

    public ReadModel(String jdbcUrl, ObjectMapper mapper) {
        this.jdbcUrl = jdbcUrl;
        this.mapper = mapper;
    }

    public void createTables() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS invoices (invoice_id VARCHAR(200) PRIMARY KEY, customer_name VARCHAR(200),"
                    + " customer_email VARCHAR(200), status VARCHAR(20) NOT NULL, currency VARCHAR(3), total DECIMAL(19, 4) NOT NULL,"
                    + " issue_date DATE, due_date DATE, line_items INT NOT NULL, version BIGINT NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS invoice_events (invoice_id VARCHAR(200) NOT NULL, version BIGINT NOT NULL,"
                    + " type VARCHAR(100) NOT NULL, occurred_at TIMESTAMP NOT NULL, command_id VARCHAR(200) NOT NULL,"
                    + " payload VARCHAR(100000) NOT NULL, PRIMARY KEY (invoice_id, version))");
            listGuard.createTableIfMissing(connection);
        }
    }

    /** Keeps the invoice list; tells {@code changed} about every row it wrote, after the commit. */
    public Projection<Snapshot<Invoice>> invoiceList(Consumer<InvoiceSummary> changed) {
        return new Projection<>() {
            @Override
            public void apply(List<Snapshot<Invoice>> batch) throws SQLException {
                List<InvoiceSummary> written = new ArrayList<>();
                try (Connection connection = connect()) {
                    connection.setAutoCommit(false);
                    for (Snapshot<Invoice> snapshot : batch) {
                        if (listGuard.advance(connection, snapshot.aggregateId(), snapshot.version())) {
                            InvoiceSummary row = summary(snapshot);
                            upsert(connection, row);
                            written.add(row);
                        }
                    }
                    connection.commit();
                }
                written.forEach(changed);
            }

            @Override
            public void reset() throws SQLException {
                clear("invoices", listGuard);
            }
        };
    }

    /** Keeps each invoice's history; tells {@code changed} about every event it wrote, after the commit. */
    public Projection<Event<InvoiceEvent>> history(Consumer<Event<InvoiceEvent>> changed) {
        return new Projection<>() {
            @Override
            public void apply(List<Event<InvoiceEvent>> batch) throws SQLException {
                List<Event<InvoiceEvent>> written = new ArrayList<>();
                try (Connection connection = connect()) {
                    connection.setAutoCommit(false);
                    for (Event<InvoiceEvent> event : batch) {
                        if (historyGuard.advance(connection, event.aggregateId(), event.version())) {
                            insertEvent(connection, event);
                            written.add(event);
                        }
                    }
                    connection.commit();
                }
                written.forEach(changed);
            }

            @Override
            public void reset() throws SQLException {
                clear("invoice_events", historyGuard);
            }
        };
    }

    public List<InvoiceSummary> list(Optional<String> status) throws SQLException {
        String sql = "SELECT invoice_id, customer_name, customer_email, status, currency, total, issue_date, due_date, line_items,"
                + " version FROM invoices" + (status.isPresent() ? " WHERE status = ?" : "") + " ORDER BY due_date, invoice_id";
        try (Connection connection = connect(); PreparedStatement select = connection.prepareStatement(sql)) {
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
        try (Connection connection = connect(); PreparedStatement select = connection.prepareStatement(
                "SELECT version, type, occurred_at, command_id, payload FROM invoice_events WHERE invoice_id = ? ORDER BY version")) {
            select.setString(1, invoiceId);
            List<HistoryEntry> entries = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    entries.add(new HistoryEntry(result.getLong(1), result.getString(2), result.getTimestamp(3).toInstant(),
                            result.getString(4), mapper.readTree(result.getString(5))));
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InvoiceSummary summary(Snapshot<Invoice> snapshot) {
        Invoice invoice = snapshot.state();
        return new InvoiceSummary(snapshot.aggregateId(), invoice.customer().name(), invoice.customer().email(),
                invoice.status().name(), invoice.currency(), invoice.total(), invoice.issueDate(), invoice.dueDate(),
                invoice.lineItems().size(), snapshot.version());
    }

    private static void upsert(Connection connection, InvoiceSummary row) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE invoices SET customer_name = ?, customer_email = ?,"
                + " status = ?, currency = ?, total = ?, issue_date = ?, due_date = ?, line_items = ?, version = ? WHERE invoice_id = ?")) {
            bind(update, row, 1);
            update.setString(10, row.invoiceId());
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO invoices (customer_name, customer_email, status,"
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

    private void insertEvent(Connection connection, Event<InvoiceEvent> event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO invoice_events (invoice_id, version, type, occurred_at, command_id, payload) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, event.aggregateId());
            insert.setLong(2, event.version());
            insert.setString(3, Invoices.TYPE.eventCodec().typeName(event.payload()));
            insert.setTimestamp(4, Timestamp.from(event.timestamp()));
            insert.setString(5, event.commandId());
            insert.setString(6, Invoices.TYPE.eventCodec().toJson(event.payload()).toString());
            insert.executeUpdate();
        }
    }

    private void clear(String table, VersionGuard guard) throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM " + table);
            }
            guard.reset(connection);
            connection.commit();
        }
    }

    /** The column keeps four decimals; show at least two and no trailing zeros beyond them. */
    private static java.math.BigDecimal money(java.math.BigDecimal amount) {
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
