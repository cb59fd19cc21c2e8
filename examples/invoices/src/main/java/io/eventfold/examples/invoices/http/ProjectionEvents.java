package io.eventfold.examples.invoices.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfold.kafka.projection.ProjectionListener;
import io.eventfold.kafka.projection.ProjectionStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people about a projection's changes: logs them and publishes each new status as a
 * {@code projection} server-sent event, which the page's status strip shows.
 */
public final class ProjectionEvents implements ProjectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionEvents.class);

    private final EventStream stream;
    private final ObjectMapper mapper;

    /**
     * Publishes on the given stream.
     *
     * @param stream where the page listens
     * @param mapper for the JSON
     */
    public ProjectionEvents(EventStream stream, ObjectMapper mapper) {
        this.stream = stream;
        this.mapper = mapper;
    }

    @Override
    public void onStateChange(ProjectionStatus before, ProjectionStatus now) {
        LOG.info("projection {}: {} -> {} (lag {})", now.projection(), before.state(), now.state(), now.lag());
        stream.publish("projection", ProjectionHealth.json(mapper, now).toString());
    }

    @Override
    public void onFailure(ProjectionStatus status, Throwable error) {
        if (status.state() == ProjectionStatus.State.FAILED) {
            LOG.error("projection {} stopped: {}", status.projection(), error.getMessage(), error);
        } else {
            LOG.warn("projection {} {} (attempt {}): {}", status.projection(), status.state(), status.consecutiveFailures(),
                    error.toString());
        }
        stream.publish("projection", ProjectionHealth.json(mapper, status).toString());
    }
}
