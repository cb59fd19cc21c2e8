package io.eventfold.examples.invoices.readmodel;

import io.eventfold.kafka.projection.jdbc.ConnectionFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * How the read model's committed changes reach the listeners of this instance: within this
 * process when the database is this instance's own (H2), or through the database itself when
 * it is shared (PostgreSQL), so that every instance hears of every change whichever instance's
 * projection applied it.
 */
interface ChangeFeed extends AutoCloseable {

    /**
     * The feed for a database.
     *
     * @param jdbcUrl the read model's database
     * @param connections opens a connection to it
     * @return through PostgreSQL's {@code NOTIFY} for {@code jdbc:postgresql:} URLs, in process otherwise
     */
    static ChangeFeed of(String jdbcUrl, ConnectionFactory connections) {
        return jdbcUrl.startsWith("jdbc:postgresql:") ? new PostgresChangeFeed(connections) : new LocalChangeFeed();
    }

    /** A projection wrote the change, in the transaction on {@code connection}, not committed yet. */
    void written(Connection connection, ReadModelChange change) throws SQLException;

    /** The projection's transaction with the change committed. */
    void committed(ReadModelChange change);

    /** Tells {@code listener} of every change committed from now on, on a thread of the feed. */
    void listen(Consumer<ReadModelChange> listener);

    @Override
    void close();
}
