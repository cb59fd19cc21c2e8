package io.eventfold.kafka;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.TwoBuilds.EventV1;
import io.eventfold.kafka.TwoBuilds.EventV2;
import io.eventfold.kafka.TwoBuilds.Tally;
import io.eventfold.kafka.TwoBuilds.TallyCommand;
import io.eventfold.kafka.TwoBuilds.TallyCommand.Add;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.kafka.client.UnreadableResultException;
import io.eventfold.kafka.projection.Delivery;
import io.eventfold.kafka.projection.Generation;
import io.eventfold.kafka.projection.Projection;
import io.eventfold.kafka.projection.ProjectionRunner;
import io.eventfold.kafka.projection.ProjectionStoppedException;
import io.eventfold.kafka.projection.UnknownTypePolicy;
import io.eventfold.kafka.projection.jdbc.JdbcCheckpointStore;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static io.eventfold.kafka.Cluster.streamsProps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A command topology of build 2 writes an event type that the gateways and projections of build 1
 * do not know: the gateway's caller learns that the command was accepted, a projection stops at
 * the record saying what to upgrade (and a build-2 projection in its group resumes there), or,
 * when told to, skips it, reports it and goes on.
 */
class RollingUpgradeIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path stateDir;

    @Test
    void shouldLetReadersOfAnOlderBuildKnowWhatANewerBuildWrote() {
        AggregateType<TallyCommand, EventV2, Tally> v2 = TwoBuilds.v2("tally");
        AggregateType<TallyCommand, EventV1, Tally> v1 = TwoBuilds.v1("tally");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicLayout.of(v2).create(admin, 2, (short) 1);
        }

        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "tally-app", stateDir), v2);
             CommandGateway<TallyCommand, EventV1, Tally> oldGateway = Cluster.gateway(kafka, v1, Duration.ofSeconds(60))) {
            assertThat(oldGateway.send("t-1", new Add(1), ExpectedVersion.noStream()).join().version()).isEqualTo(1);

            Command<TallyCommand> large = new Command<>("c-large", "t-1", ExpectedVersion.exactly(1), new Add(500), Map.of());
            Throwable error = catchThrowable(() -> oldGateway.send(large).join());

            assertThat(error).cause().isInstanceOf(UnreadableResultException.class)
                    .hasMessageContaining("command c-large of aggregate t-1 was accepted at version 3")
                    .hasMessageContaining("does not know the type 'LargeAddNoted'");
            UnreadableResultException unreadable = (UnreadableResultException) error.getCause();
            assertThat(unreadable.accepted()).isTrue();
            assertThat(unreadable.version()).hasValue(3);
            assertThat(oldGateway.send(large).join()).as("the same command again, answered from memory")
                    .isEqualTo(new CommandResult.AlreadyAccepted<>("c-large", "t-1", 3, 2));
            assertThat(oldGateway.send("t-1", new Add(2), ExpectedVersion.exactly(3)).join().version()).isEqualTo(4);
        }

        JdbcCheckpointStore store = JdbcCheckpointStore.of(() -> DriverManager.getConnection("jdbc:h2:mem:tally;DB_CLOSE_DELAY=-1"));
        Versions<EventV1> stopping = new Versions<>();
        try (ProjectionRunner<Event<EventV1>> runner = ProjectionRunner
                .forEvents(v1, kafka.bootstrapServers(), "tally-stop", stopping, store).start()) {
            await(() -> !runner.isRunning(), "the build-1 runner stopped");

            assertThat(runner.failure()).get().isInstanceOf(ProjectionStoppedException.class);
            assertThat(runner.status().state()).isEqualTo(io.eventfold.kafka.projection.ProjectionStatus.State.FAILED);
            ProjectionStoppedException stopped = (ProjectionStoppedException) runner.failure().orElseThrow();
            assertThat(stopped.typeName()).isEqualTo("LargeAddNoted");
            assertThat(stopped.aggregateId()).isEqualTo("t-1");
            assertThat(stopped.version()).hasValue(3);
            assertThat(stopped.source()).matches("tally-events-[01]@\\d+");
            assertThat(stopped).hasMessageContaining("upgrade this projection").hasMessageContaining("docs/upgrades.md");
            assertThat(stopping.seen).as("nothing at or after the unknown type").allMatch(version -> version < 3);
        }
        Versions<EventV2> upgraded = new Versions<>();
        try (ProjectionRunner<Event<EventV2>> runner = ProjectionRunner
                .forEvents(v2, kafka.bootstrapServers(), "tally-stop", upgraded, store).start()) {
            await(() -> upgraded.seen.contains(4L), "the build-2 runner of the same projection applied version 4");
            assertThat(upgraded.seen).as("it resumed where build 1 stopped").contains(3L, 4L);
            List<Long> both = new java.util.ArrayList<>(stopping.seen);
            both.addAll(upgraded.seen);
            assertThat(both).as("from build 1's checkpoint on: every version once").containsExactly(1L, 2L, 3L, 4L);
        }

        Versions<EventV1> skipping = new Versions<>();
        try (ProjectionRunner<Event<EventV1>> runner = ProjectionRunner
                .forEvents(v1, kafka.bootstrapServers(), "tally-skip", skipping, store)
                .onUnknownType(UnknownTypePolicy.SKIP).start()) {
            await(() -> skipping.seen.contains(4L), "the skipping runner applied version 4");

            assertThat(skipping.seen).containsExactly(1L, 2L, 4L);
            assertThat(runner.skipped()).isEqualTo(1);
            assertThat(runner.isRunning()).isTrue();
            assertThat(runner.failure()).isEmpty();
        }
    }

    /** Records the versions a projection applies, in order; it has no tables. */
    private static final class Versions<E> implements Projection<Connection, Event<E>> {

        final List<Long> seen = new CopyOnWriteArrayList<>();

        @Override
        public void createTables(Connection connection, Generation generation) {
        }

        @Override
        public void apply(Connection connection, Generation generation, List<Delivery<Event<E>>> batch) {
            batch.forEach(delivery -> seen.add(delivery.version()));
        }

        @Override
        public void dropTables(Connection connection, Generation generation) {
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 60 s").isLessThan(deadline);
            Cluster.sleep(50);
        }
    }
}
