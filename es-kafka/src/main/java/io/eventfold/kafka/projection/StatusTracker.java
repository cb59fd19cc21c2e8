package io.eventfold.kafka.projection;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Holds a runner's status: the loop thread changes it, any thread reads the last published value,
 * and the listeners hear of state changes and failures after they happened.
 */
final class StatusTracker {

    private static final Logger LOG = LoggerFactory.getLogger(StatusTracker.class);

    private final List<ProjectionListener> listeners;
    private volatile ProjectionStatus current;
    /** Told after every change (a build loop's tracker feeds the runner's status this way). */
    private volatile Runnable changed = () -> { };

    StatusTracker(String projection, String instance, List<ProjectionListener> listeners) {
        this.listeners = listeners;
        this.current = new ProjectionStatus(projection, instance, ProjectionStatus.State.STARTING, -1, Optional.empty(), Optional.empty(), Set.of(),
                0, 0, Optional.empty(), Optional.empty(), 0);
    }

    ProjectionStatus current() {
        return current;
    }

    void onChange(Runnable hook) {
        this.changed = hook;
    }

    synchronized void rebuild(Optional<BuildProgress> progress) {
        ProjectionStatus s = current;
        publish(new ProjectionStatus(s.projection(), s.instance(), s.state(), s.lag(), s.live(), progress, s.assigned(),
                s.applied(), s.skipped(), s.lastCommit(), s.lastError(), s.consecutiveFailures()));
    }

    synchronized void state(ProjectionStatus.State state) {
        ProjectionStatus s = current;
        long lag = stopped(state) ? -1 : s.lag();
        publish(new ProjectionStatus(s.projection(), s.instance(), state, lag, s.live(), s.rebuild(), stopped(state) ? Set.of() : s.assigned(),
                s.applied(), s.skipped(), s.lastCommit(), s.lastError(), s.consecutiveFailures()));
    }

    synchronized void live(Generation generation) {
        ProjectionStatus s = current;
        publish(new ProjectionStatus(s.projection(), s.instance(), s.state(), s.lag(), Optional.of(generation), s.rebuild(), s.assigned(),
                s.applied(), s.skipped(), s.lastCommit(), s.lastError(), s.consecutiveFailures()));
    }

    synchronized void assigned(Set<TopicPartition> partitions) {
        ProjectionStatus s = current;
        publish(new ProjectionStatus(s.projection(), s.instance(), s.state(), s.lag(), s.live(), s.rebuild(), partitions,
                s.applied(), s.skipped(), s.lastCommit(), s.lastError(), s.consecutiveFailures()));
    }

    synchronized void lag(long lag) {
        ProjectionStatus s = current;
        if (s.lag() != lag) {
            publish(new ProjectionStatus(s.projection(), s.instance(), s.state(), lag, s.live(), s.rebuild(), s.assigned(),
                    s.applied(), s.skipped(), s.lastCommit(), s.lastError(), s.consecutiveFailures()));
        }
    }

    /** A step that had failed went through: back to CATCHING_UP, the failure streak cleared. */
    synchronized void recovered() {
        ProjectionStatus s = current;
        if (s.state() == ProjectionStatus.State.RETRYING) {
            publish(new ProjectionStatus(s.projection(), s.instance(), ProjectionStatus.State.CATCHING_UP, s.lag(), s.live(),
                    s.rebuild(), s.assigned(), s.applied(), s.skipped(), s.lastCommit(), s.lastError(), 0));
        }
    }

    /** A batch committed: counts it, clears the failure streak, leaves RETRYING for {@code resumed}. */
    synchronized void committed(int applied, int skipped, ProjectionStatus.State resumed) {
        ProjectionStatus s = current;
        ProjectionStatus.State state = s.state() == ProjectionStatus.State.RETRYING ? resumed : s.state();
        publish(new ProjectionStatus(s.projection(), s.instance(), state, s.lag(), s.live(), s.rebuild(), s.assigned(),
                s.applied() + applied, s.skipped() + skipped, Optional.of(Instant.now()), s.lastError(), 0));
    }

    /** A step failed: RETRYING (one more in the streak) or FAILED; listeners hear of it. */
    synchronized void failed(ProjectionStatus.State state, Throwable error, Optional<String> coordinates) {
        ProjectionStatus s = current;
        ProjectionStatus.Failure failure = new ProjectionStatus.Failure(error.getClass().getName(),
                String.valueOf(error.getMessage()), coordinates, Instant.now());
        ProjectionStatus now = new ProjectionStatus(s.projection(), s.instance(), state, stopped(state) ? -1 : s.lag(), s.live(),
                s.rebuild(), stopped(state) ? Set.of() : s.assigned(), s.applied(), s.skipped(), s.lastCommit(), Optional.of(failure),
                s.consecutiveFailures() + 1);
        publish(now);
        for (ProjectionListener listener : listeners) {
            try {
                listener.onFailure(now, error);
            } catch (RuntimeException e) {
                LOG.warn("projection listener {} failed on a failure of {}", listener, s.projection(), e);
            }
        }
    }

    private void publish(ProjectionStatus now) {
        ProjectionStatus before = current;
        current = now;
        try {
            changed.run();
        } catch (RuntimeException e) {
            LOG.warn("status hook failed for {}", now.projection(), e);
        }
        if (before.state() != now.state()) {
            for (ProjectionListener listener : listeners) {
                try {
                    listener.onStateChange(before, now);
                } catch (RuntimeException e) {
                    LOG.warn("projection listener {} failed on a state change of {}", listener, now.projection(), e);
                }
            }
        }
    }

    static boolean stopped(ProjectionStatus.State state) {
        return state == ProjectionStatus.State.STOPPED || state == ProjectionStatus.State.FAILED
                || state == ProjectionStatus.State.SUPERSEDED;
    }
}
