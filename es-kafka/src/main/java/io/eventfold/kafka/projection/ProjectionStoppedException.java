package io.eventfold.kafka.projection;

import java.util.List;
import java.util.OptionalLong;

/**
 * Stops a {@link ProjectionRunner} for good ({@link ProjectionStatus.State#FAILED}) instead of
 * retrying: the runner throws it under {@link UnknownTypePolicy#STOP} at a record whose event or
 * state type this build does not know, and a projection may throw it from
 * {@link Projection#apply} for an error no retry can fix. The batch is rolled back and its
 * checkpoint stays: after an upgrade to a build that knows the type, a runner of the same
 * projection name applies the record and goes on.
 *
 * <pre>{@code
 * runner.failure().ifPresent(error -> {
 *     if (error instanceof ProjectionStoppedException stopped) {
 *         alert("projection needs an upgrade for type " + stopped.typeName() + " at " + stopped.source());
 *     }
 * });
 * }</pre>
 */
public class ProjectionStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Where the record is, as topic-partition@offset. */
    private final String source;
    /** The record's key: the aggregate id, or null. */
    private final String aggregateId;
    /** The version in the record's header, -1 when absent. */
    private final long version;
    /** The type name this build does not know. */
    private final String typeName;

    /**
     * Creates the exception a projection throws to stop its runner.
     *
     * <pre>{@code
     * throw new ProjectionStoppedException("invoice " + id + " has a currency this read model cannot hold", null);
     * }</pre>
     *
     * @param message why, naming the ids a person needs
     * @param cause the underlying error, or null
     */
    public ProjectionStoppedException(String message, Throwable cause) {
        super(message, cause);
        this.source = null;
        this.aggregateId = null;
        this.version = -1;
        this.typeName = null;
    }

    /**
     * Creates the exception for one record.
     *
     * @param projection the projection's name
     * @param source where the record is, as {@code topic-partition@offset}
     * @param aggregateId the record's key, the aggregate id; may be null
     * @param version the version in the record's header, empty when absent
     * @param typeName the type name this build does not know
     * @param knownTypes the type names this build knows, for the message
     * @param cause the error reading the record
     */
    public ProjectionStoppedException(String projection, String source, String aggregateId, OptionalLong version,
                                      String typeName, List<String> knownTypes, Throwable cause) {
        super("projection '" + projection + "' stopped at " + source + ": aggregate " + aggregateId
                + (version.isPresent() ? " version " + version.getAsLong() : "") + " has the type '" + typeName
                + "', which this build does not know (it knows " + knownTypes + "). A newer build of the command topology"
                + " wrote it: upgrade this projection to a build that knows the type (projections before the command"
                + " topology, see docs/upgrades.md); started under the same projection name, it resumes at this record."
                + " A read model that may ignore such records runs with UnknownTypePolicy.SKIP", cause);
        this.source = source;
        this.aggregateId = aggregateId;
        this.version = version.orElse(-1);
        this.typeName = typeName;
    }

    /**
     * Where the record is.
     *
     * @return {@code topic-partition@offset}; null when the projection threw the exception
     */
    public String source() {
        return source;
    }

    /**
     * The aggregate the record belongs to.
     *
     * @return the record's key; null when it has none
     */
    public String aggregateId() {
        return aggregateId;
    }

    /**
     * The aggregate version of the record, from its {@code eventfold.version} header.
     *
     * @return the version; empty when the record has no such header
     */
    public OptionalLong version() {
        return version < 0 ? OptionalLong.empty() : OptionalLong.of(version);
    }

    /**
     * The event or state type name this build does not know.
     *
     * @return the type name; null when the projection threw the exception
     */
    public String typeName() {
        return typeName;
    }
}
