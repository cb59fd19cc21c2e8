package io.eventfold.kafka.projection;

import java.util.List;

/**
 * A read model kept in a transactional sink (a SQL database) from an aggregate type's events or
 * snapshots by a {@link ProjectionRunner}. The runner calls {@link #apply} inside its own
 * transaction, together with the checkpoint of the partitions read and the last version applied
 * per aggregate, all written through the same {@link CheckpointStore}: the rows and the position
 * commit together or not at all, so each version of each aggregate changes the read model exactly
 * once (see {@link CheckpointStore} for what the sink must guarantee).
 *
 * <pre>{@code
 * Projection<Connection, Event<InvoiceEvent>> history = new Projection<>() {
 *     public void createTables(Connection c, Generation g) throws SQLException {
 *         try (Statement s = c.createStatement()) {
 *             s.execute("CREATE TABLE IF NOT EXISTS " + g.table("invoice_events") + " (invoice_id VARCHAR(200), version BIGINT, …)");
 *         }
 *     }
 *     public void apply(Connection c, Generation g, List<Delivery<Event<InvoiceEvent>>> batch) throws SQLException {
 *         for (Delivery<Event<InvoiceEvent>> d : batch) {
 *             insert(c, g.table("invoice_events"), d.value());   // no commit here: the runner commits
 *         }
 *     }
 *     public void dropTables(Connection c, Generation g) throws SQLException {
 *         try (Statement s = c.createStatement()) {
 *             s.execute("DROP TABLE IF EXISTS " + g.table("invoice_events"));
 *         }
 *     }
 * };
 * }</pre>
 *
 * @param <S> the sink's session: a JDBC {@code Connection} with {@code JdbcCheckpointStore}
 * @param <T> what the projection reads: {@code Event<E>} or {@code Snapshot<S>}
 */
public interface Projection<S, T> {

    /**
     * The version of this projection's code: what its tables look like and what it computes. A
     * generation is built by one version; raising it makes the new runners build a new generation
     * beside the live one and switch readers over when it has caught up, while runners of the
     * older version keep serving until then and stop as {@link ProjectionStatus.State#SUPERSEDED}.
     *
     * @return the version, 1 unless overridden
     */
    default int version() {
        return 1;
    }

    /**
     * Creates the generation's tables unless they exist. Runs in a transaction of its own, never
     * in a batch's: some databases (H2) commit DDL at once.
     *
     * @param session the session, inside a transaction the runner commits
     * @param generation the generation whose tables to create: name them with {@link Generation#table}
     * @throws Exception to have the runner retry later
     */
    void createTables(S session, Generation generation) throws Exception;

    /**
     * Applies a batch inside the runner's transaction: do not commit or roll back. The runner has
     * already dropped the versions applied before, so each version of each aggregate comes once;
     * for an events projection an aggregate's versions follow each other without a gap (a gap stops
     * the runner before this is called). Throwing rolls back the batch and its checkpoint; the
     * runner retries it after a pause, unless the exception is a {@link ProjectionStoppedException}.
     *
     * @param session the session, inside the runner's transaction
     * @param generation the generation the batch is for
     * @param batch the records to apply, in order per aggregate, never empty
     * @throws Exception to roll the batch back
     */
    void apply(S session, Generation generation, List<Delivery<T>> batch) throws Exception;

    /**
     * Drops a retired generation's tables ({@code DROP TABLE IF EXISTS}), once no reader needs
     * them (after the runner's retired retention). Runs in a transaction of its own. The generation
     * may have been built by an older {@link #version()}: drop the table names that version used.
     *
     * @param session the session, inside a transaction the runner commits
     * @param generation the retired generation
     * @throws Exception to have the runner retry later
     */
    void dropTables(S session, Generation generation) throws Exception;

    /**
     * Called on the runner's thread after a batch committed: tell others about the change (server-sent
     * events, caches). The default does nothing. It must not throw; an exception is logged and ignored.
     *
     * @param generation the generation the batch went into
     * @param batch the records the batch applied
     */
    default void committed(Generation generation, List<Delivery<T>> batch) {
    }
}
