package io.eventfold.testkit;

/**
 * The checks an {@link AggregateFixture} makes after every command, on top of your
 * expectations. All are on by default; switch one off with
 * {@link AggregateFixture#withoutChecks(Check...)} when a test knowingly breaks it.
 *
 * <pre>{@code
 * AggregateFixture.of(invoices).withoutChecks(Check.JSON_ROUND_TRIP)
 * }</pre>
 */
public enum Check {

    /**
     * The pure runner and the topology runner produce the same result, events, state and
     * version. A disagreement means {@code decide} or {@code evolve} is not pure, or something
     * does not survive the trip through Kafka.
     */
    RUNNERS_AGREE,

    /** The state after every command equals {@code aggregate.replay(all events so far)}. */
    STATE_IS_REPLAY,

    /** Every command, event and state survives a JSON round trip through the aggregate type's codecs unchanged. */
    JSON_ROUND_TRIP,

    /**
     * The topology keyed every output by the command's aggregate id, headed it with the command
     * id and version, gave events contiguous versions, and wrote exactly one result and no dead letter.
     * The event and snapshot records, and the result of a command handled now (not a redelivery),
     * carry the command's correlation id and the metadata the aggregate type's
     * {@link io.eventfold.core.MetadataPolicy} keeps in their {@code eventfold.correlation-id} and
     * {@code eventfold.metadata.<key>} headers.
     */
    TOPOLOGY_OUTPUTS
}
