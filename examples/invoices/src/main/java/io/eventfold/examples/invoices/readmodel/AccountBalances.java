package io.eventfold.examples.invoices.readmodel;

import io.eventfold.core.Snapshot;
import io.eventfold.examples.invoices.account.Account;
import io.eventfold.examples.invoices.account.Balance;
import io.eventfold.kafka.projection.Delivery;
import io.eventfold.kafka.projection.Generation;
import io.eventfold.kafka.projection.Projection;
import io.eventfold.kafka.projection.jdbc.ConnectionFactory;
import io.eventfold.kafka.projection.jdbc.JdbcCheckpointStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The customer balances of the read model: one row per account and currency, replaced from each
 * account snapshot ({@code account_balances_g1}). Like the invoice list it lives in the shared
 * database, so every instance lists every customer whichever instance's runner applied the
 * account, and a page hears of each change through the read model's change feed.
 *
 * <pre>{@code
 * ProjectionRunner.forSnapshots(Accounts.TYPE, bootstrap, ReadModel.ACCOUNTS, readModel.balances().projection(), readModel.store());
 * readModel.balances().list();   // [AccountBalance[accountId=ada@example.com, currency=EUR, owed=420.00, openInvoices=1, version=3]]
 * }</pre>
 */
public final class AccountBalances {

    /** The projection's name. */
    public static final String NAME = "account-balances";
    /** The code version: 1, the first. Raise it whenever the table or what it computes changes. */
    public static final int VERSION = 1;
    private static final String TABLE = "account_balances";

    private final ChangeFeed changes;
    private final JdbcCheckpointStore store;
    private final ConnectionFactory connections;

    AccountBalances(ChangeFeed changes, JdbcCheckpointStore store, ConnectionFactory connections) {
        this.changes = changes;
        this.store = store;
        this.connections = connections;
    }

    /**
     * Keeps the balances; its listeners hear of every account it wrote, once committed.
     *
     * @return the projection, for a runner of the accounts' snapshots
     */
    public Projection<Connection, Snapshot<Account>> projection() {
        return new Projection<>() {
            @Override
            public int version() {
                return VERSION;
            }

            @Override
            public void createTables(Connection connection, Generation generation) throws SQLException {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE IF NOT EXISTS " + generation.table(TABLE) + " (account_id VARCHAR(320) NOT NULL,"
                            + " currency VARCHAR(3) NOT NULL, owed DECIMAL(19, 4) NOT NULL, open_invoices INT NOT NULL,"
                            + " version BIGINT NOT NULL, PRIMARY KEY (account_id, currency))");
                }
            }

            @Override
            public void apply(Connection connection, Generation generation, List<Delivery<Snapshot<Account>>> batch) throws SQLException {
                for (Delivery<Snapshot<Account>> delivery : batch) {
                    replace(connection, generation.table(TABLE), delivery.value());
                    if (generation.state() == Generation.State.LIVE) {
                        changes.written(connection, change(delivery.value()));
                    }
                }
            }

            @Override
            public void dropTables(Connection connection, Generation generation) throws SQLException {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP TABLE IF EXISTS " + generation.table(TABLE));
                }
            }

            @Override
            public void committed(Generation generation, List<Delivery<Snapshot<Account>>> batch) {
                if (generation.state() == Generation.State.LIVE) {
                    batch.forEach(delivery -> changes.committed(change(delivery.value())));
                }
            }
        };
    }

    private static ReadModelChange change(Snapshot<Account> snapshot) {
        return new ReadModelChange(ReadModelChange.View.ACCOUNT, snapshot.aggregateId(), snapshot.version());
    }

    /** An account's rows are its snapshot's balances: the old ones go, so a row is never left from an older version. */
    private static void replace(Connection connection, String table, Snapshot<Account> snapshot) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE account_id = ?")) {
            delete.setString(1, snapshot.aggregateId());
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (account_id, currency, owed, open_invoices, version) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, Balance> balance : snapshot.state().balances().entrySet()) {
                insert.setString(1, snapshot.aggregateId());
                insert.setString(2, balance.getKey());
                insert.setBigDecimal(3, balance.getValue().owed());
                insert.setInt(4, balance.getValue().openInvoices());
                insert.setLong(5, snapshot.version());
                insert.executeUpdate();
            }
        }
    }

    /**
     * Every customer's balances, by account and currency.
     *
     * @return the rows; empty before the projection has started
     * @throws SQLException when the database cannot be read
     */
    public List<AccountBalance> list() throws SQLException {
        try (Connection connection = connections.connect()) {
            Optional<Generation> generation = store.forReading(connection, NAME, VERSION);
            if (generation.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT account_id, currency, owed, open_invoices, version FROM "
                    + generation.get().table(TABLE) + " ORDER BY account_id, currency");
                 ResultSet result = select.executeQuery()) {
                List<AccountBalance> rows = new ArrayList<>();
                while (result.next()) {
                    rows.add(new AccountBalance(result.getString(1), result.getString(2), ReadModel.money(result.getBigDecimal(3)),
                            result.getInt(4), result.getLong(5)));
                }
                return rows;
            }
        }
    }
}
