package io.eventfold.kafka.projection;

/**
 * Work done inside one transaction of a {@link CheckpointStore}'s sink.
 *
 * <pre>{@code
 * Map<TopicPartition, Long> positions = store.inTransaction(connection -> store.positions(connection, generation, partitions));
 * }</pre>
 *
 * @param <S> the sink's session, e.g. a JDBC {@code Connection}
 * @param <R> the work's result
 */
@FunctionalInterface
public interface SessionWork<S, R> {

    /**
     * Does the work; the store commits when it returns and rolls back when it throws.
     *
     * @param session the session, inside its transaction: never commit or roll back here
     * @return the result
     * @throws Exception to roll the transaction back
     */
    R run(S session) throws Exception;
}
