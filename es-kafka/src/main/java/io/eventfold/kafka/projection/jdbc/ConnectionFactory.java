package io.eventfold.kafka.projection.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a connection to the read model's database; {@link JdbcCheckpointStore} closes it.
 *
 * <pre>{@code
 * ConnectionFactory connections = () -> DriverManager.getConnection("jdbc:h2:file:./data/invoices");
 * }</pre>
 */
@FunctionalInterface
public interface ConnectionFactory {

    /**
     * Opens a connection.
     *
     * @return a new (or pooled) connection, which the caller closes
     * @throws SQLException from the driver
     */
    Connection connect() throws SQLException;
}
