package io.eventfold.kafka.projection;

import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where a projection's progress lives: inside the read model's own sink, written in the same
 * transactions as its rows. For every partition it reads, a projection keeps the next offset to
 * apply (its checkpoint), and for every aggregate the last version applied; a
 * {@link ProjectionRunner} reads its positions from here when it is given partitions, and writes
 * them in the transaction of each batch. The consumer group's committed offsets are advisory only
 * (they keep lag tooling working) and never read.
 *
 * <p><b>The contract</b> a sink must keep for the runner's exactly-once guarantee:
 * <ol>
 *   <li>one transaction is all or nothing: the batch's rows, its versions and its checkpoints
 *       commit together or not at all;</li>
 *   <li>a sink that loses committed transactions (a database that acknowledged commits before
 *       they were on disk: H2's default {@code WRITE_DELAY}, PostgreSQL's
 *       {@code synchronous_commit=off}) loses a <em>suffix</em> of them, in commit order: never an
 *       earlier transaction while keeping a later one (the <em>prefix property</em>). A lost batch
 *       then loses its checkpoint with its rows, and its records are read and applied again.</li>
 *   <li>a conditional update ({@link #claim}) that waited for another transaction's lock sees
 *       that transaction's committed values (read committed), so two runners cannot both move the
 *       same checkpoint.</li>
 * </ol>
 * H2 (MVStore) and PostgreSQL keep it, as does any database that commits through one ordered
 * log. A sink that can lose an earlier transaction and keep a later one breaks it; the runner
 * then finds a version gap and stops ({@link VersionGapException}) rather than going on wrong.
 *
 * <pre>{@code
 * CheckpointStore<Connection> store = JdbcCheckpointStore.of(() -> DriverManager.getConnection(url));
 * ProjectionRunner.forEvents(Invoices.TYPE, "localhost:9092", "invoice-history", history, store).start();
 * }</pre>
 *
 * @param <S> the sink's session, e.g. a JDBC {@code Connection}
 */
public interface CheckpointStore<S> {

    /**
     * Runs work in one transaction: commits when it returns, rolls back and rethrows when it throws.
     *
     * @param work the work
     * @param <R> its result
     * @return what the work returned
     * @throws Exception what the work or the sink threw, after the rollback
     */
    <R> R inTransaction(SessionWork<S, R> work) throws Exception;

    /**
     * Creates the store's own tables unless they exist, in a transaction of its own.
     *
     * @throws Exception from the sink
     */
    void createTablesIfMissing() throws Exception;

    /**
     * The checkpoints of some partitions.
     *
     * @param session the session
     * @param generation the generation
     * @param partitions the partitions asked for
     * @return the next offset to apply per partition; a partition without a checkpoint is absent
     * @throws Exception from the sink
     */
    Map<TopicPartition, Long> positions(S session, Generation generation, Collection<TopicPartition> partitions) throws Exception;

    /**
     * Takes the checkpoints a batch will move, comparing each with what the runner read: locks an
     * existing one if it still holds the expected offset, or creates a missing one. Call it first
     * in a batch's transaction, with the partitions in a stable order so two runners never deadlock.
     *
     * @param session the session, inside the batch's transaction
     * @param generation the generation
     * @param expected per partition, the next offset the runner read, or empty for "no checkpoint"
     * @param instance the runner instance, recorded for diagnosis
     * @throws CheckpointConflictException when a checkpoint is not as expected (another runner moved or created it)
     * @throws GenerationRetiredException when the generation is no longer live or building (checked after the
     *     checkpoints are locked, so a batch cannot slip into a generation a switch-over retired)
     * @throws Exception from the sink
     */
    void claim(S session, Generation generation, Map<TopicPartition, OptionalLong> expected, String instance) throws Exception;

    /**
     * Moves claimed checkpoints.
     *
     * @param session the session, inside the transaction that claimed them
     * @param generation the generation
     * @param next per partition, the first offset not yet applied
     * @param instance the runner instance, recorded for diagnosis
     * @throws Exception from the sink, or when a checkpoint was not claimed
     */
    void advance(S session, Generation generation, Map<TopicPartition, Long> next, String instance) throws Exception;

    /**
     * The last versions applied to some aggregates.
     *
     * @param session the session
     * @param generation the generation
     * @param aggregateIds the aggregates
     * @return the last version per aggregate; an aggregate never applied is absent
     * @throws Exception from the sink
     */
    Map<String, Long> lastVersions(S session, Generation generation, Collection<String> aggregateIds) throws Exception;

    /**
     * Records the last versions applied.
     *
     * @param session the session, inside the batch's transaction
     * @param generation the generation
     * @param last the new last version per aggregate
     * @throws Exception from the sink
     */
    void recordVersions(S session, Generation generation, Map<String, Long> last) throws Exception;

    /**
     * The generations of a projection, oldest first.
     *
     * @param session the session
     * @param projection the projection's name
     * @return its generations, empty before its first start
     * @throws Exception from the sink
     */
    List<Generation> generations(S session, String projection) throws Exception;

    /**
     * Registers a new generation, numbered after the newest one: {@link Generation.State#LIVE}
     * when the projection has no live generation, {@link Generation.State#BUILDING} otherwise.
     *
     * @param session the session, inside a transaction of its own
     * @param projection the projection's name
     * @param version the projection's code version
     * @param reason why, recorded for diagnosis
     * @return the new generation
     * @throws java.util.ConcurrentModificationException when another runner registered the same number first
     * @throws Exception from the sink
     */
    Generation register(S session, String projection, int version, String reason) throws Exception;

    /**
     * Retires a building generation that a newer one replaces before it went live
     * ({@link Generation.State#BUILDING} to {@link Generation.State#RETIRED}).
     *
     * @param session the session, inside a transaction
     * @param building the generation to retire
     * @param reason why, recorded for diagnosis
     * @return whether it was still building
     * @throws Exception from the sink
     */
    boolean supersede(S session, Generation building, String reason) throws Exception;

    /**
     * Switches readers over to a building generation, atomically, when it holds at least what the
     * live one does: locks the live generation and the live checkpoints of every partition (live
     * writers wait meanwhile), waits at most {@code freeze} until the building generation's
     * checkpoint of every partition has reached the live one's, then makes the building generation
     * {@link Generation.State#LIVE} and the live one {@link Generation.State#RETIRED}.
     *
     * <pre>{@code
     * boolean switched = store.inTransaction(s -> store.switchOver(s, building, live, partitions, Duration.ofSeconds(2)));
     * }</pre>
     *
     * @param session the session, inside a transaction of its own: the switch happens at its commit
     * @param building the building generation
     * @param live the live generation
     * @param partitions every partition of the topic
     * @param freeze the longest time live writers are held
     * @return true when switched; false when the building generation is behind, or either is no
     *     longer in its state (another runner switched)
     * @throws Exception from the sink
     */
    boolean switchOver(S session, Generation building, Generation live, Collection<TopicPartition> partitions,
                       Duration freeze) throws Exception;

    /**
     * Marks a retired generation dropped, once its tables are, and deletes its checkpoints and
     * versions.
     *
     * @param session the session, inside a transaction
     * @param retired the retired generation
     * @throws Exception from the sink
     */
    void markDropped(S session, Generation retired) throws Exception;

    /**
     * The switch rule, one place for every store: a building generation may replace the live one
     * when its checkpoint of every partition has reached the live one's (a missing checkpoint
     * counts as offset 0). Its tables then hold every version the live ones hold, so a reader
     * never sees the read model go back.
     *
     * <pre>{@code
     * boolean ready = CheckpointStore.caughtUp(store.positions(s, building, all), store.positions(s, live, all), all);
     * }</pre>
     *
     * @param building the building generation's checkpoints
     * @param live the live generation's checkpoints
     * @param partitions every partition of the topic
     * @return whether the building generation has caught up on every partition
     */
    static boolean caughtUp(Map<TopicPartition, Long> building, Map<TopicPartition, Long> live, Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            if (building.getOrDefault(partition, 0L) < live.getOrDefault(partition, 0L)) {
                return false;
            }
        }
        return true;
    }
}
