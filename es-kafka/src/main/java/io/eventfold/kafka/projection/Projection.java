package io.eventfold.kafka.projection;

import java.util.List;

/**
 * A read model kept up to date from an aggregate type's events or snapshots by a
 * {@link ProjectionRunner}. Delivery is at least once: a batch may come again after a crash or a
 * rebalance, so {@code apply} must be idempotent; {@link VersionGuard} makes that easy for SQL.
 *
 * <pre>{@code
 * Projection<Event<InvoiceEvent>> invoiceList = batch -> {
 *     try (Connection connection = dataSource.getConnection()) {
 *         connection.setAutoCommit(false);
 *         for (Event<InvoiceEvent> event : batch) {
 *             if (guard.advance(connection, event.aggregateId(), event.version())) {
 *                 applyToTable(connection, event);
 *             }
 *         }
 *         connection.commit();
 *     }
 * };
 * }</pre>
 *
 * @param <T> what the projection reads: {@code Event<E>} or {@code Snapshot<S>}
 */
@FunctionalInterface
public interface Projection<T> {

    /**
     * Applies a batch of records, in order per aggregate. Throwing makes the runner retry the
     * same batch after a pause; nothing is skipped.
     *
     * @param batch the records, never empty
     * @throws Exception to have the batch delivered again
     */
    void apply(List<T> batch) throws Exception;

    /**
     * Forgets everything, before a {@linkplain ProjectionRunner#rebuild() rebuild} reads all
     * records again from the start. The default does nothing.
     *
     * @throws Exception to fail the rebuild
     */
    default void reset() throws Exception {
    }
}
