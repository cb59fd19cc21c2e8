package io.eventfold.kafka.projection;

import io.eventfold.core.Event;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.Deposited;
import io.eventfold.core.account.AccountEvent.Opened;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.projection.jdbc.JdbcCheckpointStore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Properties;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.eventfold.kafka.Cluster.accountsWithTopics;
import static io.eventfold.kafka.projection.ProjectionIT.await;
import static io.eventfold.kafka.projection.RawEvents.event;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

/** A runner tells what it does: retries it recovers from, and the errors that stop it, never silently. */
class ProjectionStatusIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    /** Records what a listener hears. */
    static final class Heard implements ProjectionListener {
        final List<ProjectionStatus.State> states = new CopyOnWriteArrayList<>();
        final List<ProjectionStatus> failed = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @Override
        public void onStateChange(ProjectionStatus before, ProjectionStatus now) {
            states.add(now.state());
        }

        @Override
        public void onFailure(ProjectionStatus status, Throwable error) {
            failed.add(status);
            errors.add(error);
        }
    }

    /** A projection with no tables that fails as told. */
    static final class Flaky implements Projection<Connection, Event<AccountEvent>> {
        final AtomicInteger failures = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Long> applied = new CopyOnWriteArrayList<>();

        @Override
        public void createTables(Connection connection, Generation generation) {
        }

        @Override
        public void apply(Connection connection, Generation generation, List<Delivery<Event<AccountEvent>>> batch) throws SQLException {
            if (stop.get()) {
                throw new ProjectionStoppedException("account " + batch.get(0).aggregateId() + " cannot be shown in this currency", null);
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new SQLTransientConnectionException("connection reset at " + batch.get(0).coordinates());
            }
            batch.forEach(delivery -> applied.add(delivery.version()));
        }

        @Override
        public void dropTables(Connection connection, Generation generation) {
        }
    }

    @Test
    void shouldRetryATransientFailureTellingTheListenersAndRecover() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "flaky", 1);
        AtomicBoolean databaseAway = new AtomicBoolean(true);
        String url = "jdbc:h2:file:" + dir.resolve("flaky") + ";DB_CLOSE_DELAY=-1";
        JdbcCheckpointStore store = JdbcCheckpointStore.of(() -> {
            if (databaseAway.get()) {
                throw new SQLTransientConnectionException("the database is away");
            }
            return DriverManager.getConnection(url);
        });
        Flaky flaky = new Flaky();
        Heard heard = new Heard();
        try (RawEvents raw = new RawEvents(kafka, accounts);
             ProjectionRunner<Event<AccountEvent>> runner = ProjectionRunner
                     .forEvents(accounts, kafka.bootstrapServers(), "flaky", flaky, store)
                     .withRetryBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                     .addListener(new ProjectionListener() {
                         @Override
                         public void onStateChange(ProjectionStatus before, ProjectionStatus now) {
                             throw new IllegalStateException("a broken listener");
                         }
                     })
                     .addListener(heard).start()) {
            await(() -> heard.failed.size() >= 2, "two attempts to reach the database failed");
            ProjectionStatus away = runner.status();
            assertThat(away.state()).isEqualTo(ProjectionStatus.State.RETRYING);
            assertThat(away.lastError()).get().extracting(ProjectionStatus.Failure::message).isEqualTo("the database is away");
            assertThat(away.consecutiveFailures()).isGreaterThanOrEqualTo(2);
            assertThat(heard.failed).extracting(ProjectionStatus::consecutiveFailures).startsWith(1, 2);

            flaky.failures.set(2);
            raw.write(event("acc-1", 1, new Opened("ann")), event("acc-1", 2, new Deposited(10)));
            int failedBefore = heard.failed.size();
            databaseAway.set(false);
            await(() -> runner.status().state() == ProjectionStatus.State.RUNNING && flaky.applied.size() == 2, "the runner recovered");

            ProjectionStatus recovered = runner.status();
            assertThat(flaky.applied).containsExactly(1L, 2L);
            assertThat(recovered.consecutiveFailures()).isZero();
            assertThat(recovered.applied()).isEqualTo(2);
            assertThat(recovered.lastError()).as("kept for diagnosis").get()
                    .satisfies(failure -> {
                        assertThat(failure.message()).isEqualTo("connection reset at flaky-events-0@0");
                        assertThat(failure.coordinates()).hasValue("flaky-events-0@0");
                    });
            assertThat(heard.failed.subList(failedBefore, heard.failed.size())).as("each failed attempt of the batch")
                    .extracting(ProjectionStatus::state).containsExactly(ProjectionStatus.State.RETRYING, ProjectionStatus.State.RETRYING);
            assertThat(heard.states).containsSubsequence(ProjectionStatus.State.RETRYING, ProjectionStatus.State.CATCHING_UP,
                    ProjectionStatus.State.RUNNING);
        }
    }

    @Test
    void shouldSayStoppedWhenClosedWhileWaitingForTheDatabase() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "away", 1);
        JdbcCheckpointStore store = JdbcCheckpointStore.of(() -> {
            throw new SQLTransientConnectionException("the database is away");
        });
        ProjectionRunner<Event<AccountEvent>> runner = ProjectionRunner
                .forEvents(accounts, kafka.bootstrapServers(), "away", new Flaky(), store).start();
        await(() -> runner.status().state() == ProjectionStatus.State.RETRYING, "the runner waits for the database");

        runner.close();

        assertThat(runner.status().state()).isEqualTo(ProjectionStatus.State.STOPPED);
        assertThat(runner.lag()).isEqualTo(-1);
        assertThat(runner.isRunning()).isFalse();
        assertThat(runner.failure()).as("closed, not failed").isEmpty();
    }

    /** Brokers that do not answer in time are a failure that passes: the runner retries, it does not stop for good. */
    @Test
    void shouldRetryWhileTheBrokersDoNotAnswer() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = io.eventfold.kafka.EventSourcedTopologyTest.accounts("unreached");
        JdbcCheckpointStore store = JdbcCheckpointStore.of(() -> DriverManager.getConnection(
                "jdbc:h2:" + dir.resolve("unreached").toAbsolutePath()));
        Properties quick = new Properties();
        quick.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 500);
        Heard heard = new Heard();
        try (ProjectionRunner<Event<AccountEvent>> runner = ProjectionRunner
                .forEvents(accounts, "127.0.0.1:1", "unreached", new Flaky(), store).withConsumerProperties(quick)
                .withRetryBackoff(Duration.ofMillis(100), Duration.ofMillis(100)).addListener(heard).start()) {
            await(() -> heard.failed.size() >= 3, "three attempts to reach the brokers failed");

            assertThat(runner.status().state()).isEqualTo(ProjectionStatus.State.RETRYING);
            assertThat(runner.failure()).isEmpty();
            assertThat(heard.errors).allMatch(error -> error instanceof org.apache.kafka.common.errors.RetriableException);
        }
    }

    @Test
    void shouldFailARebuildAskedOfARunnerClosedBeforeItStarted() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "unstarted", 1);
        JdbcCheckpointStore store = JdbcCheckpointStore.of(() -> DriverManager.getConnection(
                "jdbc:h2:" + dir.resolve("unstarted").toAbsolutePath()));
        ProjectionRunner<Event<AccountEvent>> live = ProjectionRunner
                .forEvents(accounts, kafka.bootstrapServers(), "unstarted", new Flaky(), store).start();
        await(() -> live.status().state() == ProjectionStatus.State.RUNNING, "generation 1 runs");
        live.close();
        ProjectionRunner<Event<AccountEvent>> runner = ProjectionRunner
                .forEvents(accounts, kafka.bootstrapServers(), "unstarted", new Flaky(), store);

        java.util.concurrent.CompletableFuture<Generation> rebuilt = runner.rebuild();
        runner.close();

        assertThatThrownBy(() -> rebuilt.get(10, java.util.concurrent.TimeUnit.SECONDS))
                .isInstanceOf(java.util.concurrent.ExecutionException.class)
                .hasMessageContaining("was closed before it started; generation 2 is kept in the store");
    }

    @Test
    void shouldStopOnAProjectionStoppedExceptionAndSaySo() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "stopping", 1);
        String url = "jdbc:h2:file:" + dir.resolve("stopping") + ";DB_CLOSE_DELAY=-1";
        JdbcCheckpointStore store = JdbcCheckpointStore.of(() -> DriverManager.getConnection(url));
        Flaky flaky = new Flaky();
        Heard heard = new Heard();
        try (RawEvents raw = new RawEvents(kafka, accounts);
             ProjectionRunner<Event<AccountEvent>> runner = ProjectionRunner
                     .forEvents(accounts, kafka.bootstrapServers(), "stopping", flaky, store).addListener(heard).start()) {
            raw.write(event("acc-1", 1, new Opened("ann")));
            await(() -> runner.status().state() == ProjectionStatus.State.RUNNING && runner.lag() == 0 && runner.applied() == 1,
                    "version 1 applied");

            flaky.stop.set(true);
            raw.write(event("acc-1", 2, new Deposited(10)));
            await(() -> runner.status().state() == ProjectionStatus.State.FAILED, "the runner stopped");

            assertThat(runner.lag()).as("no stale lag once stopped").isEqualTo(-1);
            assertThat(runner.isRunning()).isFalse();
            assertThat(runner.failure().orElseThrow()).isInstanceOf(ProjectionStoppedException.class)
                    .hasMessage("account acc-1 cannot be shown in this currency");
            assertThat(heard.errors).singleElement().isSameAs(runner.failure().orElseThrow());
            assertThat(heard.states).endsWith(ProjectionStatus.State.FAILED);
            assertThat(flaky.applied).containsExactly(1L);
            try (Connection connection = DriverManager.getConnection(url)) {
                Generation g = store.forReading(connection, "stopping", 1).orElseThrow();
                assertThat(store.lastVersions(connection, g, List.of("acc-1"))).isEqualTo(Map.of("acc-1", 1L));
            }
        }
    }
}
