package io.eventfold.kafka.client;

import java.time.Duration;
import java.util.Objects;

/**
 * A read one instance asks of another through a {@link StoreTransport}: the instance that
 * receives it answers from its own stores only, never forwarding it again.
 *
 * <pre>{@code
 * StoreRequest request = StoreRequest.snapshot("invoice", "INV-7", Staleness.NONE);
 * }</pre>
 *
 * @param type the aggregate type's name
 * @param query what is read
 * @param aggregateId the aggregate
 * @param commandId the command, for {@link Query#COMMAND_RESULT}; {@code null} otherwise
 * @param minVersion the version awaited, for {@link Query#AWAIT_VERSION}; 0 otherwise
 * @param timeout how long the receiver waits, for {@link Query#AWAIT_VERSION}; zero otherwise
 * @param staleness which copies of the store may answer
 */
public record StoreRequest(String type, Query query, String aggregateId, String commandId, long minVersion,
                           Duration timeout, Staleness staleness) {

    /** What a request reads. */
    public enum Query {
        /** The latest snapshot ({@link AggregateStore#get}). */
        SNAPSHOT,
        /** The first snapshot at a version or later ({@link AggregateStore#awaitVersion}). */
        AWAIT_VERSION,
        /** A command's remembered answer ({@link AggregateStore#commandResult}). */
        COMMAND_RESULT
    }

    /**
     * Checks the fields.
     *
     * @param type the aggregate type's name
     * @param query what is read
     * @param aggregateId the aggregate
     * @param commandId the command, for {@link Query#COMMAND_RESULT}
     * @param minVersion the version awaited
     * @param timeout how long the receiver waits
     * @param staleness which copies may answer
     */
    public StoreRequest {
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(query, "query must not be null");
        Objects.requireNonNull(aggregateId, "aggregateId must not be null");
        Objects.requireNonNull(timeout, "timeout must not be null");
        Objects.requireNonNull(staleness, "staleness must not be null");
        if (query == Query.COMMAND_RESULT) {
            Objects.requireNonNull(commandId, "commandId must not be null for a COMMAND_RESULT request");
        }
    }

    /**
     * A read of an aggregate's latest snapshot.
     *
     * <pre>{@code
     * StoreRequest.snapshot("invoice", "INV-7", Staleness.atMost(10));
     * }</pre>
     *
     * @param type the aggregate type's name
     * @param aggregateId the aggregate
     * @param staleness which copies may answer
     * @return the request
     */
    public static StoreRequest snapshot(String type, String aggregateId, Staleness staleness) {
        return new StoreRequest(type, Query.SNAPSHOT, aggregateId, null, 0, Duration.ZERO, staleness);
    }

    /**
     * A wait for an aggregate's version, answered by its owner.
     *
     * <pre>{@code
     * StoreRequest.awaitVersion("invoice", "INV-7", 4, Duration.ofSeconds(2));
     * }</pre>
     *
     * @param type the aggregate type's name
     * @param aggregateId the aggregate
     * @param minVersion the version awaited
     * @param timeout how long the receiver waits
     * @return the request
     */
    public static StoreRequest awaitVersion(String type, String aggregateId, long minVersion, Duration timeout) {
        return new StoreRequest(type, Query.AWAIT_VERSION, aggregateId, null, minVersion, timeout, Staleness.NONE);
    }

    /**
     * A read of a command's remembered answer.
     *
     * <pre>{@code
     * StoreRequest.commandResult("invoice", "INV-7", commandId, Staleness.NONE);
     * }</pre>
     *
     * @param type the aggregate type's name
     * @param aggregateId the aggregate
     * @param commandId the command
     * @param staleness which copies may answer
     * @return the request
     */
    public static StoreRequest commandResult(String type, String aggregateId, String commandId, Staleness staleness) {
        return new StoreRequest(type, Query.COMMAND_RESULT, aggregateId, commandId, 0, Duration.ZERO, staleness);
    }
}
