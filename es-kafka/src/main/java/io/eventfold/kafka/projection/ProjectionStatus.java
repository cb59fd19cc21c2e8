package io.eventfold.kafka.projection;

import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link ProjectionRunner} is doing, as one immutable value: its state, its lag, what it
 * has applied and the last error. {@link ProjectionRunner#status()} returns the current one;
 * a {@link ProjectionListener} is told about changes.
 *
 * <pre>{@code
 * ProjectionStatus status = runner.status();
 * boolean healthy = status.state() != ProjectionStatus.State.FAILED;
 * String why = status.lastError().map(ProjectionStatus.Failure::message).orElse("");
 * }</pre>
 *
 * @param projection the projection's name
 * @param instance this runner instance (host, process, random suffix), as recorded with its checkpoints
 * @param state the runner's state
 * @param lag records of its assigned partitions not yet applied; -1 while unknown and once stopped
 * @param live the projection's live generation, once known (the one this runner feeds, unless its
 *     version is newer and it builds its own generation beside it)
 * @param rebuild how the generation of this runner's version being built beside the live one gets on, while there is one
 * @param assigned the partitions this runner reads now
 * @param applied records applied since the start (after dropping versions applied before)
 * @param skipped records of an unknown type passed over under {@link UnknownTypePolicy#SKIP} since the start
 * @param lastCommit when the last batch committed
 * @param lastError the last failure; kept after a recovery, for diagnosis
 * @param consecutiveFailures failed attempts since the last success, 0 when the last attempt went through
 */
public record ProjectionStatus(String projection, String instance, State state, long lag, Optional<Generation> live,
                               Optional<BuildProgress> rebuild, Set<TopicPartition> assigned, long applied, long skipped, Optional<Instant> lastCommit,
                               Optional<Failure> lastError, int consecutiveFailures) {

    /** What a runner is doing. */
    public enum State {
        /** Not started, or starting: reading its generation, creating tables. */
        STARTING,
        /** Reading, with records left to apply since its last assignment (or building a new version's generation before it can serve). */
        CATCHING_UP,
        /** Reading, and has been at the end of its partitions since its last assignment. */
        RUNNING,
        /** A step failed for a reason that may pass (database away, a projection exception); tried again after a pause. */
        RETRYING,
        /** A newer version of the projection is live; this runner's code is too old to feed it. */
        SUPERSEDED,
        /** Closed. */
        STOPPED,
        /** Stopped by an error that a retry cannot fix: a version gap, a {@link ProjectionStoppedException}, an unexpected error. */
        FAILED
    }

    /**
     * A failure, as the status keeps it.
     *
     * <pre>{@code
     * failure.coordinates().ifPresent(at -> log.error("stopped at {}", at));
     * }</pre>
     *
     * @param type the exception's class name
     * @param message its message
     * @param coordinates the record it happened at, as {@code topic-partition@offset}, when known
     * @param at when it happened
     */
    public record Failure(String type, String message, Optional<String> coordinates, Instant at) {

        /**
         * Validates the components.
         *
         * @param type the exception's class name, not null
         * @param message its message, not null
         * @param coordinates the record, not null (empty when unknown)
         * @param at when, not null
         */
        public Failure {
            Objects.requireNonNull(type, "type must not be null");
            Objects.requireNonNull(message, "message must not be null");
            Objects.requireNonNull(coordinates, "coordinates must not be null");
            Objects.requireNonNull(at, "at must not be null");
        }
    }

    /**
     * Validates the components and copies the set.
     *
     * @param projection the projection's name, not null
     * @param instance the runner instance, not null
     * @param state the state, not null
     * @param lag the lag, -1 when unknown
     * @param live the generation, not null
     * @param rebuild the build's progress, not null (empty when none)
     * @param assigned the partitions, not null
     * @param applied records applied
     * @param skipped records skipped
     * @param lastCommit the last commit, not null
     * @param lastError the last failure, not null
     * @param consecutiveFailures failed attempts since the last success
     */
    public ProjectionStatus {
        Objects.requireNonNull(projection, "projection must not be null");
        Objects.requireNonNull(instance, "instance must not be null");
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(live, "live must not be null");
        Objects.requireNonNull(rebuild, "rebuild must not be null");
        assigned = Set.copyOf(assigned);
        Objects.requireNonNull(lastCommit, "lastCommit must not be null");
        Objects.requireNonNull(lastError, "lastError must not be null");
    }
}
