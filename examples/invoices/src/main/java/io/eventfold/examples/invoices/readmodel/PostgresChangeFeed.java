package io.eventfold.examples.invoices.readmodel;

import io.eventfold.kafka.projection.jdbc.ConnectionFactory;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Changes told through PostgreSQL, to every instance that shares the database: the projection
 * sends {@code NOTIFY} in the transaction that writes the rows, which PostgreSQL delivers to
 * every listening connection when, and only if, that transaction commits. One thread per
 * instance listens; when its connection breaks it connects again, and the changes in between
 * are not heard (the page reloads what it shows when its stream reconnects).
 */
final class PostgresChangeFeed implements ChangeFeed {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeed.class);
    private static final String CHANNEL = "invoice_read_model";
    private static final int POLL_MS = 500;
    private static final long RECONNECT_MS = 1_000;

    private final ConnectionFactory connections;
    private final List<Consumer<ReadModelChange>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private Thread listening;

    PostgresChangeFeed(ConnectionFactory connections) {
        this.connections = connections;
    }

    @Override
    public void written(Connection connection, ReadModelChange change) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, change.encode());
            notify.execute();
        }
    }

    @Override
    public void committed(ReadModelChange change) {
        // The database tells every instance, this one included.
    }

    @Override
    public synchronized void listen(Consumer<ReadModelChange> listener) {
        listeners.add(listener);
        if (listening == null && !closed) {
            listening = new Thread(this::run, "read-model-changes");
            listening.setDaemon(true);
            listening.start();
        }
    }

    private void run() {
        while (!closed) {
            try (Connection connection = connections.connect()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = postgres.getNotifications(POLL_MS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            tell(ReadModelChange.decode(notification.getParameter()));
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("listening to the read model's changes failed, connecting again in {} ms: {}", RECONNECT_MS, e.toString());
                    sleep();
                }
            }
        }
    }

    private void tell(ReadModelChange change) {
        for (Consumer<ReadModelChange> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("a listener failed on {}", change, e);
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(RECONNECT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        listeners.clear();
        if (listening != null) {
            listening.interrupt();
            try {
                listening.join(POLL_MS * 4L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
