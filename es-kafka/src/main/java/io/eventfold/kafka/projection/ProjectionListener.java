package io.eventfold.kafka.projection;

/**
 * Told about a {@link ProjectionRunner}'s changes, on the runner's threads, after each change. A
 * runtime exception a listener throws is logged and ignored; keep the work short (log, publish, alert).
 *
 * <pre>{@code
 * runner.addListener(new ProjectionListener() {
 *     public void onFailure(ProjectionStatus status, Throwable error) {
 *         if (status.state() == ProjectionStatus.State.FAILED) {
 *             pager.alert(status.projection() + " stopped: " + error.getMessage());
 *         }
 *     }
 * });
 * }</pre>
 */
public interface ProjectionListener {

    /**
     * The runner's state changed (its lag and counters change without a call).
     *
     * @param before the status before the change
     * @param now the status after it
     */
    default void onStateChange(ProjectionStatus before, ProjectionStatus now) {
    }

    /**
     * A batch or a step failed: the runner retries it ({@link ProjectionStatus.State#RETRYING},
     * called at each attempt) or stopped ({@link ProjectionStatus.State#FAILED}, or
     * {@link ProjectionStatus.State#SUPERSEDED} when a newer version of the projection is live).
     *
     * @param status the status after the failure
     * @param error the error
     */
    default void onFailure(ProjectionStatus status, Throwable error) {
    }

    /**
     * Readers were switched over to a new generation (a rebuild or a new version went live). Every
     * runner of the projection hears of it once, when it sees the switch in the store.
     *
     * <pre>{@code
     * public void onSwitch(Generation retired, Generation live) {
     *     log.info("{} now reads generation {}", live.projection(), live.number());
     * }
     * }</pre>
     *
     * @param retired the generation readers used before, now retired (its tables are kept for the retention)
     * @param live the generation readers use now
     */
    default void onSwitch(Generation retired, Generation live) {
    }
}
