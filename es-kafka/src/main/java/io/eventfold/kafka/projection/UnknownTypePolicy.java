package io.eventfold.kafka.projection;

/**
 * What a {@link ProjectionRunner} does with a record whose event or state type this build does not
 * know: one written by a newer build of the command topology, whose readers were not upgraded
 * first (see {@code docs/upgrades.md}). Any other record that cannot be read is delivered again
 * after a pause, as a batch the projection fails on.
 *
 * <pre>{@code
 * ProjectionRunner.forEvents(invoices, "localhost:9092", "overdue-invoices", overdue, store)
 *     .onUnknownType(UnknownTypePolicy.SKIP)   // this read model needs only the types it knows
 *     .start();
 * }</pre>
 */
public enum UnknownTypePolicy {

    /**
     * The default: stop the runner at the record, before applying its batch, with a
     * {@link ProjectionStoppedException} in {@link ProjectionRunner#failure()} and in the log that
     * names the type, the aggregate, its version and the record's {@code topic-partition@offset}.
     * Nothing is committed past the record, so a build that knows the type, started under the same
     * projection name, applies it and goes on. A read model that misses an event is wrong without saying so;
     * a stopped one says so.
     */
    STOP,

    /**
     * Pass the record over and go on: log it (type, aggregate, version, {@code topic-partition@offset})
     * and count it in {@link ProjectionRunner#skipped()}. Its version counts as applied, so the
     * aggregate's next version is no gap; the projection never sees the record. For read models
     * that need only the types they know.
     */
    SKIP
}
