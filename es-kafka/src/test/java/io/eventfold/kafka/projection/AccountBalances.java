package io.eventfold.kafka.projection;

import io.eventfold.core.Event;
import io.eventfold.core.account.AccountEvent;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SQL read model of account balances in H2, guarded by a {@link VersionGuard}: each event in
 * its own transaction with its version. It can be told to crash after a number of events.
 */
final class AccountBalances implements Projection<Event<AccountEvent>> {

    private final String url;
    private final VersionGuard guard = VersionGuard.forProjection("balances");
    final AtomicInteger appliedEvents = new AtomicInteger();
    final AtomicInteger skippedEvents = new AtomicInteger();
    private volatile int crashAfter = Integer.MAX_VALUE;
    private final AtomicInteger beforeCrash = new AtomicInteger();

    AccountBalances(String databaseName) throws SQLException {
        this.url = "jdbc:h2:mem:" + databaseName + ";DB_CLOSE_DELAY=-1";
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS balances (account VARCHAR(100) PRIMARY KEY, owner VARCHAR(100), balance BIGINT)");
            guard.createTableIfMissing(connection);
        }
    }

    /** The next {@code events} events are applied, then the projection throws as if its process died. */
    void crashAfter(int events) {
        beforeCrash.set(events);
        crashAfter = events;
    }

    @Override
    public void apply(List<Event<AccountEvent>> batch) throws SQLException {
        for (Event<AccountEvent> event : batch) {
            if (crashAfter != Integer.MAX_VALUE && beforeCrash.getAndDecrement() <= 0) {
                crashAfter = Integer.MAX_VALUE;
                throw new IllegalStateException("simulated crash in the middle of a batch");
            }
            try (Connection connection = connect()) {
                connection.setAutoCommit(false);
                if (guard.advance(connection, event.aggregateId(), event.version())) {
                    change(connection, event);
                    appliedEvents.incrementAndGet();
                } else {
                    skippedEvents.incrementAndGet();
                }
                connection.commit();
            }
        }
    }

    private static void change(Connection connection, Event<AccountEvent> event) throws SQLException {
        AccountEvent payload = event.payload();
        if (payload instanceof AccountEvent.Opened opened) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO balances VALUES (?, ?, 0)")) {
                insert.setString(1, event.aggregateId());
                insert.setString(2, opened.owner());
                insert.executeUpdate();
            }
        } else {
            long delta = payload instanceof AccountEvent.Deposited deposited ? deposited.amount()
                    : payload instanceof AccountEvent.Withdrawn withdrawn ? -withdrawn.amount() : 0;
            try (PreparedStatement update = connection.prepareStatement("UPDATE balances SET balance = balance + ? WHERE account = ?")) {
                update.setLong(1, delta);
                update.setString(2, event.aggregateId());
                update.executeUpdate();
            }
        }
    }

    @Override
    public void reset() throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM balances");
            }
            guard.reset(connection);
            connection.commit();
        }
    }

    Map<String, Long> balances() throws SQLException {
        Map<String, Long> balances = new TreeMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT account, balance FROM balances")) {
            while (rows.next()) {
                balances.put(rows.getString(1), rows.getLong(2));
            }
        }
        return balances;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }
}
