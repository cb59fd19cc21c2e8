package io.eventfold.testkit;

/**
 * The checks an {@link AggregateFixture} makes after every command (and time passing), and a
 * {@link ProcessManagerFixture} after every input, on top of your expectations. All are on by
 * default; switch one off with {@link AggregateFixture#withoutChecks(Check...)} or
 * {@link ProcessManagerFixture#withoutChecks(Check...)} when a test knowingly breaks it.
 *
 * <pre>{@code
 * AggregateFixture.of(invoices).withoutChecks(Check.JSON_ROUND_TRIP)
 * }</pre>
 */
public enum Check {

    /**
     * The pure runner and the topology runner produce the same result, events, state,
     * version, deadline changes and fired commands; for a process manager, the same commands,
     * state and failure. A disagreement means user code is not pure, or something does not
     * survive the trip through Kafka.
     */
    RUNNERS_AGREE,

    /** The state after every command equals {@code aggregate.replay(all events so far)}. Aggregates only. */
    STATE_IS_REPLAY,

    /** Every command, event and state survives a JSON round trip through the type's codecs unchanged. */
    JSON_ROUND_TRIP,

    /**
     * The topology keyed every output by the command's aggregate id, headed it with the command
     * id and version, gave events contiguous versions, and wrote exactly one result and no dead letter.
     * The event and snapshot records, and the result of a command handled now (not a redelivery),
     * carry the command's correlation id and the metadata the aggregate type's
     * {@link io.eventfold.core.MetadataPolicy} keeps in their {@code eventfold.correlation-id} and
     * {@code eventfold.metadata.<key>} headers. A command a deadline fired is keyed by the aggregate,
     * headed with its command id and {@code eventfold.deadline}, stamped with the firing time and
     * answered once. A process manager's command records are keyed by the target aggregate and
     * headed with their command id, {@code eventfold.process-manager} and its replies topic, and
     * only a manager's failure goes to its dead-letter topic.
     */
    TOPOLOGY_OUTPUTS
}
