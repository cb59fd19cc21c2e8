package io.eventfold.kafka.projection;

/**
 * Told about a {@link ProjectionRunner}'s changes, on the runner's thread, after each change. An
 * exception a listener throws is logged and ignored; keep the work short (log, publish, alert).
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
}
