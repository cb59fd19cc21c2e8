package io.eventfold.kafka.projection.jdbc;

import io.eventfold.kafka.projection.CheckpointConflictException;
import io.eventfold.kafka.projection.Generation;
import io.eventfold.kafka.projection.GenerationRetiredException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;

import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What a JdbcCheckpointStore does on every database it supports; one subclass per database. */
abstract class JdbcCheckpointStoreContract {

    private static final TopicPartition P0 = new TopicPartition("invoices-events", 0);
    private static final TopicPartition P1 = new TopicPartition("invoices-events", 1);
    private static final String RUNNER = "host/1/abcd";

    /** A connection to an empty-enough database: every test uses projection names of its own. */
    abstract Connection connect() throws SQLException;

    /** Whether another session of the database waits for a lock. */
    abstract boolean anotherSessionWaitsForALock(Connection connection) throws SQLException;

    private JdbcCheckpointStore store;
    private String projection;

    @BeforeEach
    void createTables(org.junit.jupiter.api.TestInfo test) throws Exception {
        store = JdbcCheckpointStore.of(this::connect);
        store.createTablesIfMissing();
        store.createTablesIfMissing();   // idempotent
        projection = test.getTestMethod().orElseThrow().getName();
    }

    private Map<TopicPartition, Long> positions(JdbcCheckpointStore in, Generation g, List<TopicPartition> partitions) throws Exception {
        return in.inTransaction(c -> in.positions(c, g, partitions));
    }

    private Map<String, Long> versions(Generation g, List<String> ids) throws Exception {
        return store.inTransaction(c -> store.lastVersions(c, g, ids));
    }

    private List<Generation> generations(JdbcCheckpointStore in) throws Exception {
        return in.inTransaction(c -> in.generations(c, projection));
    }

    private Generation first() throws Exception {
        return store.inTransaction(c -> store.register(c, projection, 1, "first start"));
    }

    @Test
    void shouldMakeTheFirstGenerationLiveAndLaterOnesBuilding() throws Exception {
        Generation first = first();
        Generation second = store.inTransaction(c -> store.register(c, projection, 2, "upgrade"));

        assertThat(first.number()).isEqualTo(1);
        assertThat(first.state()).isEqualTo(Generation.State.LIVE);
        assertThat(second.number()).isEqualTo(2);
        assertThat(second.state()).isEqualTo(Generation.State.BUILDING);
        List<Generation> all = generations(store);
        assertThat(all).extracting(Generation::number, Generation::version, Generation::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 1, Generation.State.LIVE),
                        org.assertj.core.groups.Tuple.tuple(2, 2, Generation.State.BUILDING));
        try (Connection connection = connect()) {
            assertThat(store.forReading(connection, projection, 1)).get().extracting(Generation::number).isEqualTo(1);
            assertThat(store.forReading(connection, projection, 2)).as("a reader of the new version during a rolling deploy")
                    .get().extracting(Generation::number).isEqualTo(2);
            assertThat(store.forReading(connection, projection, 3)).isEmpty();
            assertThat(store.forReading(connection, "never-started", 1)).isEmpty();
        }
    }

    @Test
    void shouldRefuseASecondRegistrationOfTheSameNumber() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Connection observer = connect()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            store.register(a, projection, 1, "runner a");
            CompletableFuture<Generation> other = CompletableFuture.supplyAsync(() -> {
                try {
                    return store.register(b, projection, 1, "runner b");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            // b read no generation (a's is uncommitted) and inserts number 1 too: it waits for a, or fails at once.
            while (!other.isDone() && !anotherSessionWaitsForALock(observer)) {
                Thread.onSpinWait();
            }
            a.commit();
            assertThat(catchThrowable(other::get)).as("two runners starting together: one registers generation 1")
                    .isInstanceOf(ExecutionException.class);
            b.rollback();
        }
        assertThat(generations(store)).hasSize(1);
    }

    @Test
    void shouldCreateMoveAndReadCheckpoints() throws Exception {
        Generation g = first();
        assertThat(positions(store, g, List.of(P0, P1))).isEmpty();

        store.inTransaction(c -> {
            store.claim(c, g, Map.of(P0, OptionalLong.empty(), P1, OptionalLong.empty()), RUNNER);
            store.advance(c, g, Map.of(P0, 10L, P1, 3L), RUNNER);
            return null;
        });
        store.inTransaction(c -> {
            store.claim(c, g, Map.of(P0, OptionalLong.of(10)), RUNNER);
            store.advance(c, g, Map.of(P0, 25L), RUNNER);
            return null;
        });

        assertThat(positions(store, g, List.of(P0, P1))).isEqualTo(Map.of(P0, 25L, P1, 3L));
        assertThat(positions(store, g, List.of(P1))).isEqualTo(Map.of(P1, 3L));
        Generation other = new Generation(projection, 2, 1, Generation.State.BUILDING, g.since());
        assertThat(positions(store, other, List.of(P0, P1))).as("another generation's checkpoints").isEmpty();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT updated_by FROM eventfold_projection_checkpoints WHERE projection = '"
                     + projection + "' AND partition_id = 0")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo(RUNNER);
        }
    }

    @Test
    void shouldRefuseAClaimOnACheckpointThatMovedAndChangeNothing() throws Exception {
        Generation g = first();
        store.inTransaction(c -> {
            store.claim(c, g, Map.of(P0, OptionalLong.empty()), RUNNER);
            store.advance(c, g, Map.of(P0, 150L), RUNNER);
            return null;
        });

        Throwable moved = catchThrowable(() -> store.inTransaction(c -> {
            store.claim(c, g, Map.of(P0, OptionalLong.of(100)), "zombie");
            return null;
        }));
        Throwable created = catchThrowable(() -> store.inTransaction(c -> {
            store.claim(c, g, Map.of(P0, OptionalLong.empty()), "zombie");
            return null;
        }));

        assertThat(moved).isInstanceOf(CheckpointConflictException.class)
                .hasMessage("projection " + projection + " (generation 1): the checkpoint of invoices-events-0 is no longer at offset 100;"
                        + " another runner of the projection moved it, so this batch is rolled back");
        assertThat(((CheckpointConflictException) moved).partition()).isEqualTo(P0);
        assertThat(created).isInstanceOf(CheckpointConflictException.class).hasMessageContaining("is no longer missing");
        assertThat(positions(store, g, List.of(P0))).isEqualTo(Map.of(P0, 150L));
    }

    @Test
    void shouldLetAClaimBlockedBehindAnotherRunnersCommitFail() throws Exception {
        Generation g = first();
        store.inTransaction(c -> {
            store.claim(c, g, Map.of(P0, OptionalLong.empty()), RUNNER);
            store.advance(c, g, Map.of(P0, 100L), RUNNER);
            return null;
        });
        try (Connection owner = connect(); Connection zombie = connect(); Connection observer = connect()) {
            owner.setAutoCommit(false);
            zombie.setAutoCommit(false);
            store.claim(owner, g, Map.of(P0, OptionalLong.of(100)), "owner");
            store.advance(owner, g, Map.of(P0, 150L), "owner");

            CompletableFuture<Void> zombieClaim = CompletableFuture.runAsync(() -> {
                try {
                    store.claim(zombie, g, Map.of(P0, OptionalLong.of(100)), "zombie");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (!anotherSessionWaitsForALock(observer)) {
                assertThat(zombieClaim).as("the zombie's claim waits for the owner's lock").isNotDone();
                Thread.onSpinWait();
            }
            owner.commit();

            assertThat(catchThrowable(zombieClaim::get)).as("read committed: the blocked update re-reads 150 and matches nothing")
                    .hasRootCauseInstanceOf(CheckpointConflictException.class);
            zombie.rollback();
        }
        assertThat(positions(store, g, List.of(P0))).isEqualTo(Map.of(P0, 150L));
    }

    @Test
    void shouldLetOnlyOneOfTwoRunnersCreateAMissingCheckpoint() throws Exception {
        Generation g = first();
        try (Connection a = connect(); Connection b = connect()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            store.claim(a, g, Map.of(P1, OptionalLong.empty()), "a");
            store.advance(a, g, Map.of(P1, 40L), "a");
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                try {
                    store.claim(b, g, Map.of(P1, OptionalLong.empty()), "b");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            a.commit();

            assertThat(catchThrowable(second::get)).hasRootCauseInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(e.getCause().getCause()).isInstanceOf(CheckpointConflictException.class));
            b.rollback();
        }
        assertThat(positions(store, g, List.of(P1))).isEqualTo(Map.of(P1, 40L));
    }

    @Test
    void shouldRefuseToAdvanceAnUnclaimedCheckpoint() throws Exception {
        Generation g = first();
        assertThatThrownBy(() -> store.inTransaction(c -> {
            store.advance(c, g, Map.of(P0, 5L), RUNNER);
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("no checkpoint of invoices-events-0 to advance");
    }

    @Test
    void shouldKeepTheLastVersionsOfManyAggregatesPerGeneration() throws Exception {
        Generation g = first();
        Map<String, Long> versions = IntStream.range(0, 1_200).boxed().collect(toMap(i -> "INV-" + i, i -> (long) i + 1));
        store.inTransaction(c -> {
            store.recordVersions(c, g, versions);
            return null;
        });
        Map<String, Long> moved = new HashMap<>(Map.of("INV-1", 9L, "INV-new", 1L));
        store.inTransaction(c -> {
            store.recordVersions(c, g, moved);
            return null;
        });

        List<String> asked = IntStream.range(0, 1_300).mapToObj(i -> "INV-" + i).toList();
        Map<String, Long> last = versions(g, asked);

        Map<String, Long> expected = new HashMap<>(versions);
        expected.put("INV-1", 9L);
        assertThat(last).isEqualTo(expected);
        assertThat(versions(g, List.of("INV-new"))).isEqualTo(Map.of("INV-new", 1L));
        Generation other = new Generation(projection, 2, 1, Generation.State.BUILDING, g.since());
        assertThat(versions(other, asked)).as("another generation's versions").isEmpty();
    }

    @Test
    void shouldRollBackEverythingWhenTheWorkThrows() throws Exception {
        Generation g = first();
        Throwable error = catchThrowable(() -> store.inTransaction(c -> {
            store.claim(c, g, Map.of(P0, OptionalLong.empty()), RUNNER);
            store.advance(c, g, Map.of(P0, 10L), RUNNER);
            store.recordVersions(c, g, Map.of("INV-1", 1L));
            throw new IllegalStateException("the projection failed");
        }));

        assertThat(error).hasMessage("the projection failed");
        assertThat(positions(store, g, List.of(P0))).isEmpty();
        assertThat(versions(g, List.of("INV-1"))).isEmpty();
    }

    @Test
    void shouldKeepTablesWithAnotherPrefixApart() throws Exception {
        JdbcCheckpointStore billing = store.withTablePrefix("billing_projection_");
        billing.createTablesIfMissing();
        Generation g = billing.inTransaction(c -> billing.register(c, projection, 1, "first start"));
        billing.inTransaction(c -> {
            billing.claim(c, g, Map.of(P0, OptionalLong.empty()), RUNNER);
            billing.advance(c, g, Map.of(P0, 7L), RUNNER);
            return null;
        });

        assertThat(positions(billing, g, List.of(P0))).isEqualTo(Map.of(P0, 7L));
        assertThat(positions(store, g, List.of(P0))).isEmpty();
        assertThat(generations(store)).isEmpty();
        assertThatThrownBy(() -> store.withTablePrefix("billing; DROP TABLE x; --"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain SQL identifier");
    }

    private static final Duration FREEZE = Duration.ofSeconds(2);

    private void move(Generation g, TopicPartition partition, OptionalLong from, long to) throws Exception {
        store.inTransaction(c -> {
            store.claim(c, g, Map.of(partition, from), RUNNER);
            store.advance(c, g, Map.of(partition, to), RUNNER);
            return null;
        });
    }

    private Generation building() throws Exception {
        return store.inTransaction(c -> store.register(c, projection, 1, "rebuild"));
    }

    private List<Generation.State> states() throws Exception {
        return generations(store).stream().map(Generation::state).toList();
    }

    @Test
    void shouldRefuseToSwitchToAGenerationThatIsBehindAndChangeNothing() throws Exception {
        Generation live = first();
        move(live, P0, OptionalLong.empty(), 100);
        Generation building = building();
        move(building, P0, OptionalLong.empty(), 99);

        boolean switched = store.inTransaction(c -> store.switchOver(c, building, live, List.of(P0, P1), Duration.ZERO));

        assertThat(switched).isFalse();
        assertThat(states()).containsExactly(Generation.State.LIVE, Generation.State.BUILDING);
    }

    @Test
    void shouldSwitchOnceWhenTheBuildHasCaughtUpOnEveryPartition() throws Exception {
        Generation live = first();
        move(live, P0, OptionalLong.empty(), 100);
        Generation building = building();
        move(building, P0, OptionalLong.empty(), 120);

        boolean switched = store.inTransaction(c -> store.switchOver(c, building, live, List.of(P0, P1), FREEZE));
        boolean again = store.inTransaction(c -> store.switchOver(c, building, live, List.of(P0, P1), FREEZE));

        assertThat(switched).as("P1: neither generation read anything there").isTrue();
        assertThat(again).as("a second runner trying the same switch").isFalse();
        assertThat(states()).containsExactly(Generation.State.RETIRED, Generation.State.LIVE);
        try (Connection connection = connect()) {
            assertThat(store.forReading(connection, projection, 1)).get().extracting(Generation::number).isEqualTo(2);
        }
        assertThatThrownBy(() -> move(live, P0, OptionalLong.of(100), 130)).as("a live writer that missed the switch")
                .isInstanceOf(GenerationRetiredException.class).hasMessageContaining("generation 1 is RETIRED");
        assertThat(positions(store, live, List.of(P0))).isEqualTo(Map.of(P0, 100L));
    }

    @Test
    void shouldLeaveTheOldGenerationLiveWhenTheSwitchRollsBack() throws Exception {
        Generation live = first();
        Generation building = building();

        Throwable crash = catchThrowable(() -> store.inTransaction(c -> {
            assertThat(store.switchOver(c, building, live, List.of(P0), FREEZE)).isTrue();
            throw new SQLException("connection lost before the commit");
        }));

        assertThat(crash).hasMessage("connection lost before the commit");
        assertThat(states()).containsExactly(Generation.State.LIVE, Generation.State.BUILDING);
        move(live, P0, OptionalLong.empty(), 5);   // the live generation still takes batches
        assertThat(positions(store, live, List.of(P0))).isEqualTo(Map.of(P0, 5L));
    }

    @Test
    void shouldHoldALiveBatchDuringTheSwitchAndThenRefuseIt() throws Exception {
        Generation live = first();
        move(live, P0, OptionalLong.empty(), 100);
        Generation building = building();
        move(building, P0, OptionalLong.empty(), 100);
        try (Connection switching = connect(); Connection writer = connect(); Connection observer = connect()) {
            switching.setAutoCommit(false);
            writer.setAutoCommit(false);
            assertThat(store.switchOver(switching, building, live, List.of(P0, P1), FREEZE)).isTrue();
            CompletableFuture<Void> batch = CompletableFuture.runAsync(() -> {
                try {
                    store.claim(writer, live, Map.of(P0, OptionalLong.of(100)), "live runner");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (!anotherSessionWaitsForALock(observer)) {
                assertThat(batch).as("the live batch waits for the switch").isNotDone();
                Thread.onSpinWait();
            }
            switching.commit();

            assertThat(catchThrowable(batch::get)).hasRootCauseInstanceOf(GenerationRetiredException.class);
            writer.rollback();
        }
        assertThat(positions(store, live, List.of(P0))).isEqualTo(Map.of(P0, 100L));
    }

    @Test
    void shouldWaitWithinTheFreezeForTheBuildToReachTheLiveCheckpoints() throws Exception {
        Generation live = first();
        move(live, P0, OptionalLong.empty(), 100);
        Generation building = building();
        move(building, P0, OptionalLong.empty(), 90);
        try (Connection switching = connect()) {
            switching.setAutoCommit(false);
            CompletableFuture<Boolean> switched = CompletableFuture.supplyAsync(() -> {
                try {
                    return store.switchOver(switching, building, live, List.of(P0), Duration.ofSeconds(60));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            move(building, P0, OptionalLong.of(90), 100);   // the build's last batch, while live writers are held

            assertThat(switched.get()).isTrue();
            switching.commit();
        }
        assertThat(states()).containsExactly(Generation.State.RETIRED, Generation.State.LIVE);
    }

    @Test
    void shouldRetireASupersededBuildAndDropARetiredGeneration() throws Exception {
        Generation live = first();
        Generation building = building();
        move(building, P0, OptionalLong.empty(), 10);
        store.inTransaction(c -> {
            store.recordVersions(c, building, Map.of("INV-1", 3L));
            return null;
        });

        boolean superseded = store.inTransaction(c -> store.supersede(c, building, "superseded by a build of version 2"));
        boolean twice = store.inTransaction(c -> store.supersede(c, building, "twice"));
        assertThat(superseded).isTrue();
        assertThat(twice).isFalse();
        Generation retired = generations(store).get(1);
        assertThat(retired.state()).isEqualTo(Generation.State.RETIRED);
        assertThatThrownBy(() -> move(building, P0, OptionalLong.of(10), 20)).isInstanceOf(GenerationRetiredException.class);

        store.inTransaction(c -> {
            store.markDropped(c, retired);
            return null;
        });

        assertThat(states()).containsExactly(Generation.State.LIVE, Generation.State.DROPPED);
        assertThat(positions(store, retired, List.of(P0))).as("its checkpoints deleted").isEmpty();
        assertThat(versions(retired, List.of("INV-1"))).as("its versions deleted").isEmpty();
        assertThat(positions(store, live, List.of(P0))).isEmpty();
        try (Connection connection = connect()) {
            assertThat(store.forReading(connection, projection, 1)).get().isEqualTo(live);
        }
    }
}
