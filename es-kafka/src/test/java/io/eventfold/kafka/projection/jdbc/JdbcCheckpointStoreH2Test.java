package io.eventfold.kafka.projection.jdbc;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The store on an H2 file database with H2's default settings (its write delay included), as the example runs it. */
class JdbcCheckpointStoreH2Test extends JdbcCheckpointStoreContract {

    @TempDir
    static Path dir;

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("read-model") + ";DB_CLOSE_DELAY=-1");
    }

    @Override
    boolean anotherSessionWaitsForALock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL")) {
            rows.next();
            return rows.getInt(1) > 0;
        }
    }
}
