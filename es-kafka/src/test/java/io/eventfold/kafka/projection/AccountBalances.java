package io.eventfold.kafka.projection;

import io.eventfold.core.Event;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.projection.jdbc.JdbcCheckpointStore;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SQL read model of account balances, with a history row per applied event (no key, so a
 * version applied twice shows as two rows). It can be told to fail in the middle of a batch,
 * after some of the batch's rows were written.
 */
public final class AccountBalances implements Projection<Connection, Event<AccountEvent>> {

    private final String url;
    private final String name;
    public final JdbcCheckpointStore store;
    /** Events handed to apply(), rolled-back attempts included. */
    final AtomicInteger attempted = new AtomicInteger();
    private final AtomicInteger failAfter = new AtomicInteger(-1);
    private final int version;
    /** When set, each batch of a building generation takes a permit, and fails (to be retried) without one. */
    volatile Semaphore buildPermits;

    public AccountBalances(String url, String name) throws SQLException {
        this(url, name, 1);
    }

    AccountBalances(String url, String name, int version) throws SQLException {
        this.url = url;
        this.name = name;
        this.version = version;
        this.store = JdbcCheckpointStore.of(this::connect);
        store.createTablesIfMissing();   // so the test may read before a runner started
    }

    @Override
    public int version() {
        return version;
    }

    /** The projection throws after applying {@code events} more events, in the middle of their batch. */
    void failAfter(int events) {
        failAfter.set(events);
    }

    @Override
    public void createTables(Connection connection, Generation generation) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + generation.table("balances")
                    + " (account VARCHAR(100) PRIMARY KEY, owner VARCHAR(100), balance BIGINT)");
            statement.execute("CREATE TABLE IF NOT EXISTS " + generation.table("account_history")
                    + " (account VARCHAR(100) NOT NULL, version BIGINT NOT NULL)");
        }
    }

    @Override
    public void apply(Connection connection, Generation generation, List<Delivery<Event<AccountEvent>>> batch) throws SQLException {
        Semaphore permits = buildPermits;
        try {
            if (generation.state() == Generation.State.BUILDING && permits != null && !permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                throw new SQLTransientException("the test holds the build of generation " + generation.number());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientException("interrupted", e);
        }
        for (Delivery<Event<AccountEvent>> delivery : batch) {
            if (failAfter.get() >= 0 && failAfter.getAndDecrement() == 0) {
                throw new IllegalStateException("simulated failure in the middle of a batch, at " + delivery.coordinates());
            }
            attempted.incrementAndGet();
            change(connection, generation, delivery.value());
        }
    }

    @Override
    public void dropTables(Connection connection, Generation generation) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + generation.table("balances"));
            statement.execute("DROP TABLE IF EXISTS " + generation.table("account_history"));
        }
    }

    private static void change(Connection connection, Generation generation, Event<AccountEvent> event) throws SQLException {
        AccountEvent payload = event.payload();
        if (payload instanceof AccountEvent.Opened opened) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + generation.table("balances") + " VALUES (?, ?, 0)")) {
                insert.setString(1, event.aggregateId());
                insert.setString(2, opened.owner());
                insert.executeUpdate();
            }
        } else {
            long delta = payload instanceof AccountEvent.Deposited deposited ? deposited.amount()
                    : payload instanceof AccountEvent.Withdrawn withdrawn ? -withdrawn.amount() : 0;
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE " + generation.table("balances") + " SET balance = balance + ? WHERE account = ?")) {
                update.setLong(1, delta);
                update.setString(2, event.aggregateId());
                update.executeUpdate();
            }
        }
        try (PreparedStatement history = connection.prepareStatement(
                "INSERT INTO " + generation.table("account_history") + " VALUES (?, ?)")) {
            history.setString(1, event.aggregateId());
            history.setLong(2, event.version());
            history.executeUpdate();
        }
    }

    private Generation generation(Connection connection) throws SQLException {
        return store.forReading(connection, name, version()).orElseThrow();
    }

    Map<String, Long> balances() throws SQLException {
        Map<String, Long> balances = new TreeMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT account, balance FROM " + generation(connection).table("balances"))) {
            while (rows.next()) {
                balances.put(rows.getString(1), rows.getLong(2));
            }
        }
        return balances;
    }

    /** Per account, the versions in the history, in order, duplicates included. */
    Map<String, List<Long>> history() throws SQLException {
        Map<String, List<Long>> history = new TreeMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT account, version FROM " + generation(connection).table("account_history")
                     + " ORDER BY account, version")) {
            while (rows.next()) {
                history.computeIfAbsent(rows.getString(1), account -> new java.util.ArrayList<>()).add(rows.getLong(2));
            }
        }
        return history;
    }

    /** History rows so far; 0 before the projection's first generation and its tables exist. */
    int historyRows() throws SQLException {
        try (Connection connection = connect()) {
            Optional<Generation> generation = store.forReading(connection, name, version());
            if (generation.isEmpty() || !tableExists(connection, generation.get().table("account_history"))) {
                return 0;
            }
        }
        return history().values().stream().mapToInt(List::size).sum();
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        for (String name : List.of(table, table.toUpperCase(java.util.Locale.ROOT))) {
            try (ResultSet rows = connection.getMetaData().getTables(null, null, name, new String[]{"TABLE"})) {
                if (rows.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }
}
