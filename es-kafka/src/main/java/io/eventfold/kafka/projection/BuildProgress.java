package io.eventfold.kafka.projection;

import org.apache.kafka.common.TopicPartition;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a generation being built beside the live one is getting on, as this runner sees it: the
 * runners of a projection share the building generation's partitions like the live one's, so
 * each reports the lag of its own share. {@link ProjectionStatus#rebuild()} carries it while a
 * generation of this runner's version is {@link Generation.State#BUILDING}.
 *
 * <pre>{@code
 * runner.status().rebuild().ifPresent(build ->
 *         log.info("generation {} building, {} records behind", build.building().number(), build.lag()));
 * }</pre>
 *
 * @param building the generation being built
 * @param state what this runner's build loop does: CATCHING_UP, RUNNING (at the end of its partitions,
 *     waiting for the switch), RETRYING or FAILED (a version gap in the log itself: see {@code lastError})
 * @param lag records of this runner's building partitions not yet applied; -1 while unknown
 * @param assigned the partitions this runner builds
 * @param applied records applied to the building generation by this runner
 * @param lastError the build's last failure
 */
public record BuildProgress(Generation building, ProjectionStatus.State state, long lag, Set<TopicPartition> assigned, long applied,
                            Optional<ProjectionStatus.Failure> lastError) {

    /**
     * Validates the components and copies the set.
     *
     * @param building the generation, not null
     * @param state the build's state, not null
     * @param lag the lag, -1 when unknown
     * @param assigned the partitions, not null
     * @param applied records applied
     * @param lastError the last failure, not null
     */
    public BuildProgress {
        Objects.requireNonNull(building, "building must not be null");
        Objects.requireNonNull(state, "state must not be null");
        assigned = Set.copyOf(assigned);
        Objects.requireNonNull(lastError, "lastError must not be null");
    }

    static BuildProgress of(Generation building, ProjectionStatus loop) {
        return new BuildProgress(building, loop.state(), loop.lag(), loop.assigned(), loop.applied(), loop.lastError());
    }
}
