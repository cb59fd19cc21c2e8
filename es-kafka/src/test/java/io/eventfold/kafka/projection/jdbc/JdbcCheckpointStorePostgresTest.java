package io.eventfold.kafka.projection.jdbc;

import io.eventfold.kafka.testing.LocalPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The store on a PostgreSQL server of its own. */
class JdbcCheckpointStorePostgresTest extends JdbcCheckpointStoreContract {

    @RegisterExtension
    static final LocalPostgres postgres = new LocalPostgres();

    @Override
    Connection connect() throws SQLException {
        return postgres.connect();
    }

    @Override
    boolean anotherSessionWaitsForALock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
            rows.next();
            return rows.getInt(1) > 0;
        }
    }
}
