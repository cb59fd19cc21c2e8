package io.eventfold.examples.invoices.readmodel;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Changes told in this process after each commit: the database is this instance's alone. */
final class LocalChangeFeed implements ChangeFeed {

    private final List<Consumer<ReadModelChange>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void written(Connection connection, ReadModelChange change) {
        // Told after the commit: a change rolled back is never heard of.
    }

    @Override
    public void committed(ReadModelChange change) {
        listeners.forEach(listener -> listener.accept(change));
    }

    @Override
    public void listen(Consumer<ReadModelChange> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        listeners.clear();
    }
}
