package io.eventfold.kafka.client;

/**
 * No instance can answer for an aggregate right now: the application starts or rebalances, the
 * instance that owns the aggregate's partition does not answer, and no standby within the
 * caller's {@link Staleness} bound does. Retryable: ask again once the rebalance settles.
 *
 * <pre>{@code
 * try {
 *     return store.get(invoiceId);
 * } catch (AggregateUnavailableException e) {
 *     return Response.status(503).header("Retry-After", "1").body(e.getMessage());
 * }
 * }</pre>
 */
public class AggregateUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The aggregate that was asked for. */
    private final String aggregateId;

    /**
     * Creates the exception.
     *
     * @param aggregateId the aggregate asked for
     * @param message what could not be reached, and why
     * @param cause the underlying error, or {@code null}
     */
    public AggregateUnavailableException(String aggregateId, String message, Throwable cause) {
        super(message, cause);
        this.aggregateId = aggregateId;
    }

    /**
     * The aggregate asked for.
     *
     * <pre>{@code
     * log.info("{} not readable yet", e.aggregateId());
     * }</pre>
     *
     * @return the aggregate id
     */
    public String aggregateId() {
        return aggregateId;
    }
}
