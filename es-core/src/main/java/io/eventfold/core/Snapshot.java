package io.eventfold.core;

/**
 * The state of one aggregate at one version: the fold of its first {@code version} events.
 *
 * <pre>{@code
 * Snapshot<Invoice> nothingYet = Snapshot.initial("INV-7", invoiceAggregate);
 * }</pre>
 *
 * @param aggregateId the aggregate; not blank
 * @param version how many events the state includes; 0 for an aggregate without events; {@code >= 0}
 * @param state the state; not {@code null}
 * @param <S> the state type
 */
public record Snapshot<S>(String aggregateId, long version, S state) {

    /**
     * Validates every component.
     *
     * @param aggregateId the aggregate; not blank
     * @param version how many events the state includes; 0 for an aggregate without events; {@code >= 0}
     * @param state the state; not {@code null}
     * @throws NullPointerException if {@code aggregateId} or {@code state} is {@code null}
     * @throws IllegalArgumentException if {@code aggregateId} is blank or {@code version < 0}
     */
    public Snapshot {
        Checks.notBlank(aggregateId, "aggregateId");
        Checks.atLeast(version, 0, "version");
        Checks.notNull(state, "state");
    }

    /**
     * The snapshot of an aggregate that has no events yet: version 0 and the initial state.
     *
     * @param aggregateId the aggregate
     * @param aggregate supplies the initial state
     * @param <S> the state type
     * @return a version-0 snapshot
     */
    public static <S> Snapshot<S> initial(String aggregateId, Aggregate<?, ?, S> aggregate) {
        return new Snapshot<>(aggregateId, 0, Checks.notNull(aggregate, "aggregate").initialState());
    }
}
