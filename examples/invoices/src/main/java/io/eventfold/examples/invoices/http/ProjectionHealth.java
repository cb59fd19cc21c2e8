package io.eventfold.examples.invoices.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfold.kafka.projection.BuildProgress;
import io.eventfold.kafka.projection.Generation;
import io.eventfold.kafka.projection.ProjectionRunner;
import io.eventfold.kafka.projection.ProjectionStatus;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;

/**
 * The read model's projections as the API shows them: {@code GET /api/projections} lists each
 * runner's status, {@code GET /api/health} answers 503 while one of them has FAILED, and
 * {@code POST /api/projections/{name}/rebuild} asks for a rebuild into a new generation. The one
 * place that turns a {@link ProjectionStatus} into JSON, for the API and the event stream alike.
 */
public final class ProjectionHealth {

    private final List<ProjectionRunner<?>> runners;
    private final ObjectMapper mapper;

    /**
     * Shows the given runners.
     *
     * @param runners the service's projection runners
     * @param mapper for the JSON
     */
    public ProjectionHealth(List<ProjectionRunner<?>> runners, ObjectMapper mapper) {
        this.runners = List.copyOf(runners);
        this.mapper = mapper;
    }

    /** Every runner's status, in the order given. */
    ArrayNode statuses() {
        ArrayNode list = mapper.createArrayNode();
        runners.forEach(runner -> list.add(json(mapper, runner.status())));
        return list;
    }

    /**
     * Asks the named projection for a rebuild: a request stored in the database, carried out by
     * every runner of the projection, switched over when caught up (docs/client.md).
     *
     * @return empty if no projection has that name; else the request, which has failed already if it
     *     could not be stored (the request is stored before {@code rebuild()} returns)
     */
    Optional<CompletableFuture<Generation>> rebuild(String name) {
        return runners.stream().filter(r -> r.status().projection().equals(name)).findFirst()
                .map(runner -> runner.rebuild());
    }

    /** The first runner that stopped on an error, if any: the service is then unhealthy. */
    Optional<ProjectionStatus> failed() {
        return runners.stream().map(ProjectionRunner::status).filter(status -> status.state() == ProjectionStatus.State.FAILED)
                .findFirst();
    }

    /**
     * One status as JSON: {@code {name, state, lag, generation, applied, rebuild: {generation, state, lag, applied} | null,
     * error: {type, message, coordinates, at} | null}}.
     *
     * @param mapper the mapper
     * @param status the status
     * @return the JSON object
     */
    static ObjectNode json(ObjectMapper mapper, ProjectionStatus status) {
        ObjectNode node = mapper.createObjectNode();
        node.put("name", status.projection());
        node.put("state", status.state().name());
        node.put("lag", status.lag());
        if (status.live().isPresent()) {
            Generation generation = status.live().get();
            node.put("generation", generation.number());
        } else {
            node.putNull("generation");
        }
        node.put("applied", status.applied());
        if (status.rebuild().isPresent()) {
            BuildProgress build = status.rebuild().get();
            ObjectNode rebuild = node.putObject("rebuild");
            rebuild.put("generation", build.building().number());
            rebuild.put("state", build.state().name());
            rebuild.put("lag", build.lag());
            rebuild.put("applied", build.applied());
        } else {
            node.putNull("rebuild");
        }
        if (status.lastError().isPresent()) {
            ProjectionStatus.Failure failure = status.lastError().get();
            ObjectNode error = node.putObject("error");
            error.put("type", failure.type());
            error.put("message", failure.message());
            if (failure.coordinates().isPresent()) {
                error.put("coordinates", failure.coordinates().get());
            } else {
                error.putNull("coordinates");
            }
            error.put("at", failure.at().toString());
        } else {
            node.putNull("error");
        }
        return node;
    }
}
