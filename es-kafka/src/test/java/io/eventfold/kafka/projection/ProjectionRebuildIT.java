package io.eventfold.kafka.projection;

import io.eventfold.core.Event;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.Deposited;
import io.eventfold.core.account.AccountEvent.Opened;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.AggregateType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static io.eventfold.kafka.Cluster.accountsWithTopics;
import static io.eventfold.kafka.projection.ProjectionIT.await;
import static io.eventfold.kafka.projection.RawEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Rebuilds build a new generation beside the live one, by every runner of the projection, and
 * switch readers over once it has caught up: with two runners, after the runners were closed
 * half-way, when asked before the start, for a projection stopped at a gap, through a switch
 * that rolled back, and for a new version of the projection.
 */
class ProjectionRebuildIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    /** What a listener heard of switches. */
    static final class Switches implements ProjectionListener {
        final List<String> heard = new CopyOnWriteArrayList<>();

        @Override
        public void onSwitch(Generation retired, Generation live) {
            heard.add(retired.number() + " " + retired.state() + " -> " + live.number() + " " + live.state());
        }
    }

    /** Writes accounts {@code from..from+count-1}, each with versions 1..versions, one transaction per account; expected history added. */
    static void write(RawEvents raw, int from, int count, int versions, Map<String, List<Long>> history) {
        for (int a = from; a < from + count; a++) {
            String account = "acc-" + a;
            List<Event<AccountEvent>> events = new ArrayList<>();
            events.add(event(account, 1, new Opened("owner-" + a)));
            for (long v = 2; v <= versions; v++) {
                events.add(event(account, v, new Deposited(v)));
            }
            raw.write(events.toArray(Event[]::new));
            history.put(account, LongStream.rangeClosed(1, versions).boxed().toList());
        }
    }

    static Map<String, Long> balancesOf(Map<String, List<Long>> history) {
        Map<String, Long> balances = new TreeMap<>();
        history.forEach((account, versions) -> balances.put(account, versions.stream().mapToLong(Long::longValue).sum() - 1));
        return balances;
    }

    private static ProjectionRunner<Event<AccountEvent>> runner(AggregateType<AccountCommand, AccountEvent, Account> accounts, String name,
                                                               AccountBalances balances, CheckpointStore<Connection> store,
                                                               ProjectionListener listener) {
        return runner(kafka, accounts, name, balances, store, listener);
    }

    private static ProjectionRunner<Event<AccountEvent>> runner(EmbeddedKafkaExtension kafka,
                                                               AggregateType<AccountCommand, AccountEvent, Account> accounts, String name,
                                                               AccountBalances balances, CheckpointStore<Connection> store,
                                                               ProjectionListener listener) {
        Properties smallBatches = new Properties();
        smallBatches.put("max.poll.records", 20);
        return ProjectionRunner.forEvents(accounts, kafka.bootstrapServers(), name, balances, store)
                .withConsumerProperties(smallBatches).withRetryBackoff(Duration.ofMillis(50), Duration.ofMillis(100))
                .addListener(listener);
    }

    private static List<Generation> generations(AccountBalances balances, String name) throws Exception {
        return balances.store.inTransaction(c -> balances.store.generations(c, name));
    }

    @Test
    void shouldRebuildWithTwoRunnersInOneGroupAndSwitchOnce() throws Exception {
        twoRunnersRebuild(kafka, "two", "jdbc:h2:file:" + dir.resolve("two") + ";DB_CLOSE_DELAY=-1");
    }

    /** The scenario, on any database the store supports. */
    static void twoRunnersRebuild(EmbeddedKafkaExtension kafka, String name, String url) throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, name, 3);
        AccountBalances balances = new AccountBalances(url, name);
        DelegatingStore store = new DelegatingStore(balances.store);
        Map<String, List<Long>> expected = new TreeMap<>();
        Switches heardByA = new Switches();
        Switches heardByB = new Switches();
        try (RawEvents raw = new RawEvents(kafka, accounts);
             ProjectionRunner<Event<AccountEvent>> a = runner(kafka, accounts, name, balances, store, heardByA).start();
             ProjectionRunner<Event<AccountEvent>> b = runner(kafka, accounts, name, balances, store, heardByB).start()) {
            write(raw, 0, 30, 20, expected);
            await(() -> balances.historyRows() == 600 && a.status().state() == ProjectionStatus.State.RUNNING
                    && b.status().state() == ProjectionStatus.State.RUNNING, "both runners applied every event");

            // A reader all along: the number of history rows it sees never goes down.
            List<Integer> seen = new CopyOnWriteArrayList<>();
            AtomicBoolean reading = new AtomicBoolean(true);
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                try {
                    while (reading.get()) {
                        seen.add(balances.historyRows());
                        Thread.sleep(5);
                    }
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            balances.buildPermits = new Semaphore(0);
            CompletableFuture<Generation> rebuilt = a.rebuild();
            // Both runners build before any batch of the new generation commits.
            await(() -> a.status().rebuild().isPresent() && b.status().rebuild().isPresent(), "both runners build generation 2");
            assertThat(b.status().rebuild().orElseThrow().building().number()).isEqualTo(2);
            assertThat(generations(balances, name)).extracting(Generation::state)
                    .containsExactly(Generation.State.LIVE, Generation.State.BUILDING);
            balances.buildPermits.release(100_000);
            write(raw, 30, 10, 5, expected);   // the live generation moves during the build

            Generation live = rebuilt.get(60, TimeUnit.SECONDS);
            await(() -> a.status().live().map(Generation::number).orElse(0) == 2 && b.status().live().map(Generation::number).orElse(0) == 2
                    && a.status().state() == ProjectionStatus.State.RUNNING && b.status().state() == ProjectionStatus.State.RUNNING
                    && balances.historyRows() == 650, "both runners feed generation 2");
            reading.set(false);
            reader.get();

            assertThat(live.number()).isEqualTo(2);
            assertThat(live.state()).isEqualTo(Generation.State.LIVE);
            assertThat(balances.history()).as("every version once in the new generation").isEqualTo(expected);
            assertThat(balances.balances()).isEqualTo(balancesOf(expected));
            assertThat(store.switches).as("switched once").hasValue(1);
            assertThat(heardByA.heard).containsExactly("1 RETIRED -> 2 LIVE");
            assertThat(heardByB.heard).containsExactly("1 RETIRED -> 2 LIVE");
            assertThat(generations(balances, name)).extracting(Generation::state)
                    .containsExactly(Generation.State.RETIRED, Generation.State.LIVE);
            assertThat(a.status().rebuild()).isEmpty();
            assertThat(seen).as("what a reader saw never went back").isNotEmpty().isSorted();
            assertThat(seen.get(0)).isEqualTo(600);
        }
    }

    @Test
    void shouldFinishARebuildWhoseRunnersWereClosedHalfway() throws Exception {
        String name = "halfway";
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, name, 3);
        AccountBalances balances = new AccountBalances("jdbc:h2:file:" + dir.resolve(name), name);
        Map<String, List<Long>> expected = new TreeMap<>();
        Semaphore permits = new Semaphore(0);
        balances.buildPermits = permits;
        CompletableFuture<Generation> rebuilt;
        try (RawEvents raw = new RawEvents(kafka, accounts)) {
            write(raw, 0, 30, 20, expected);
        }
        try (ProjectionRunner<Event<AccountEvent>> a = runner(accounts, name, balances, balances.store, new Switches()).start();
             ProjectionRunner<Event<AccountEvent>> b = runner(accounts, name, balances, balances.store, new Switches()).start()) {
            await(() -> balances.historyRows() == 600, "generation 1 complete");
            rebuilt = a.rebuild();
            await(() -> a.status().rebuild().isPresent() && b.status().rebuild().isPresent(), "both runners build generation 2");
            permits.release(8);
            await(() -> permits.availablePermits() == 0 && builtRows(balances) > 0, "8 batches of generation 2 taken");
            a.close();
            permits.release(4);
            await(() -> permits.availablePermits() == 0, "4 more, by the runner left");
        }
        assertThat(catchThrowable(() -> rebuilt.get(10, TimeUnit.SECONDS))).as("the runner stopped first")
                .isInstanceOf(ExecutionException.class).hasMessageContaining("stopped before generation 2 went live");
        assertThat(generations(balances, name)).extracting(Generation::state)
                .containsExactly(Generation.State.LIVE, Generation.State.BUILDING);
        assertThat(balances.history()).as("readers still read generation 1, complete").isEqualTo(expected);
        int built = builtRows(balances);
        assertThat(built).as("half-way").isBetween(1, 599);

        Switches heard = new Switches();
        balances.buildPermits = null;
        int attemptedBefore = balances.attempted.get();
        try (ProjectionRunner<Event<AccountEvent>> restarted = runner(accounts, name, balances, balances.store, heard).start()) {
            await(() -> heard.heard.size() == 1 && restarted.status().state() == ProjectionStatus.State.RUNNING,
                    "a restarted runner finished the build and switched");
        }
        assertThat(balances.attempted.get() - attemptedBefore).as("the restarted runner applied the rest of the build, from its checkpoints")
                .isEqualTo(600 - built);
        assertThat(heard.heard).containsExactly("1 RETIRED -> 2 LIVE");
        assertThat(balances.history()).as("every version once").isEqualTo(expected);
        assertThat(balances.balances()).isEqualTo(balancesOf(expected));
    }

    /** History rows in generation 2. */
    private static int builtRows(AccountBalances balances) throws SQLException {
        try (Connection connection = balances.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM account_history_g2")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void shouldCarryOutARebuildRequestedBeforeTheStart() throws Exception {
        String name = "before-start";
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, name, 2);
        AccountBalances balances = new AccountBalances("jdbc:h2:file:" + dir.resolve(name), name);
        Map<String, List<Long>> expected = new TreeMap<>();
        try (RawEvents raw = new RawEvents(kafka, accounts)) {
            write(raw, 0, 10, 10, expected);
        }
        try (ProjectionRunner<Event<AccountEvent>> first = runner(accounts, name, balances, balances.store, new Switches()).start()) {
            await(() -> balances.historyRows() == 100 && first.status().state() == ProjectionStatus.State.RUNNING, "generation 1 complete");
        }

        Switches heard = new Switches();
        ProjectionRunner<Event<AccountEvent>> runner = runner(accounts, name, balances, balances.store, heard);
        CompletableFuture<Generation> rebuilt = runner.rebuild();

        assertThat(rebuilt).as("requested, not failed: nothing runs it before the start").isNotDone();
        assertThat(generations(balances, name)).as("stored at once").extracting(Generation::number, Generation::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, Generation.State.LIVE),
                        org.assertj.core.groups.Tuple.tuple(2, Generation.State.BUILDING));
        try (runner) {
            runner.start();
            assertThat(rebuilt.get(60, TimeUnit.SECONDS).number()).isEqualTo(2);
            await(() -> runner.status().state() == ProjectionStatus.State.RUNNING, "the runner feeds generation 2");
        }
        assertThat(heard.heard).containsExactly("1 RETIRED -> 2 LIVE");
        assertThat(balances.history()).isEqualTo(expected);
    }

    @Test
    void shouldRebuildAProjectionStoppedAtAGap() throws Exception {
        String name = "gap-rebuild";
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, name, 1);
        AccountBalances balances = new AccountBalances("jdbc:h2:file:" + dir.resolve(name), name);
        Map<String, List<Long>> expected = new TreeMap<>();
        Switches heard = new Switches();
        try (RawEvents raw = new RawEvents(kafka, accounts);
             ProjectionRunner<Event<AccountEvent>> runner = runner(accounts, name, balances, balances.store, heard).start()) {
            write(raw, 0, 5, 3, expected);
            await(() -> balances.historyRows() == 15 && runner.status().state() == ProjectionStatus.State.RUNNING, "generation 1 applied");
            // The read model lost acc-0's versions 2 and 3 but kept the checkpoint: a sink that broke the prefix contract.
            try (Connection connection = balances.connect(); Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE eventfold_projection_versions SET version = 1 WHERE projection = '" + name
                        + "@g1' AND aggregate_id = 'acc-0'");
                statement.executeUpdate("DELETE FROM account_history_g1 WHERE account = 'acc-0' AND version > 1");
            }
            raw.write(event("acc-0", 4, new Deposited(4)));
            expected.put("acc-0", List.of(1L, 2L, 3L, 4L));
            await(() -> runner.status().state() == ProjectionStatus.State.FAILED, "the runner stopped at the gap");
            assertThat(runner.failure()).get().isInstanceOf(VersionGapException.class);

            Generation rebuilt = runner.rebuild().get(60, TimeUnit.SECONDS);
            await(() -> runner.status().state() == ProjectionStatus.State.RUNNING, "the runner feeds the rebuilt generation");

            assertThat(rebuilt.number()).isEqualTo(2);
            assertThat(runner.status().live()).get().extracting(Generation::number).isEqualTo(2);
            assertThat(runner.failure()).as("the new live generation has not failed").isEmpty();
            assertThat(runner.status().lastError()).as("kept for diagnosis").get()
                    .extracting(ProjectionStatus.Failure::type).isEqualTo(VersionGapException.class.getName());
            assertThat(heard.heard).containsExactly("1 RETIRED -> 2 LIVE");
            assertThat(balances.history()).isEqualTo(expected);
        }
    }

    @Test
    void shouldKeepTheOldGenerationLiveWhenTheSwitchRollsBack() throws Exception {
        String name = "switch-crash";
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, name, 2);
        AccountBalances balances = new AccountBalances("jdbc:h2:file:" + dir.resolve(name), name);
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch secondAttempt = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        DelegatingStore store = new DelegatingStore(balances.store) {
            @Override
            public boolean switchOver(Connection session, Generation building, Generation live, java.util.Collection<TopicPartition> partitions,
                                      Duration freeze) throws Exception {
                int attempt = attempts.incrementAndGet();
                if (attempt == 2) {
                    // The first attempt's transaction has ended: the runner tries again only after it.
                    secondAttempt.countDown();
                    assertThat(checked.await(60, TimeUnit.SECONDS)).isTrue();
                }
                boolean switched = super.switchOver(session, building, live, partitions, freeze);
                if (attempt == 1) {
                    // The process dies between the switch's statements and its commit: the transaction rolls back.
                    throw new SQLException("connection lost during the switch-over (switched: " + switched + ")");
                }
                return switched;
            }
        };
        Map<String, List<Long>> expected = new TreeMap<>();
        Switches heard = new Switches();
        try (RawEvents raw = new RawEvents(kafka, accounts);
             ProjectionRunner<Event<AccountEvent>> runner = runner(accounts, name, balances, store, heard).start()) {
            write(raw, 0, 10, 5, expected);
            await(() -> balances.historyRows() == 50 && runner.status().state() == ProjectionStatus.State.RUNNING, "generation 1 applied");

            CompletableFuture<Generation> rebuilt = runner.rebuild();
            assertThat(secondAttempt.await(60, TimeUnit.SECONDS)).as("the first switch failed, a second one comes").isTrue();
            assertThat(heard.heard).as("no switch seen").isEmpty();
            assertThat(generations(balances, name)).extracting(Generation::state)
                    .containsExactly(Generation.State.LIVE, Generation.State.BUILDING);
            assertThat(balances.history()).as("readers keep reading generation 1").isEqualTo(expected);
            assertThat(rebuilt).isNotDone();
            checked.countDown();

            assertThat(rebuilt.get(60, TimeUnit.SECONDS).number()).isEqualTo(2);
            assertThat(store.switches).hasValue(2);
            assertThat(heard.heard).containsExactly("1 RETIRED -> 2 LIVE");
            assertThat(balances.history()).isEqualTo(expected);
        }
    }

    @Test
    void shouldBuildANewVersionBesideTheLiveOneAndRetireTheOldRunner() throws Exception {
        String name = "upgrade";
        String url = "jdbc:h2:file:" + dir.resolve(name) + ";DB_CLOSE_DELAY=-1";
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, name, 2);
        AccountBalances v1 = new AccountBalances(url, name, 1);
        AccountBalances v2 = new AccountBalances(url, name, 2);
        Map<String, List<Long>> expected = new TreeMap<>();
        Switches heardByOld = new Switches();
        Switches heardByNew = new Switches();
        try (RawEvents raw = new RawEvents(kafka, accounts);
             ProjectionRunner<Event<AccountEvent>> old = runner(accounts, name, v1, v1.store, heardByOld).start()) {
            write(raw, 0, 10, 5, expected);
            await(() -> v1.historyRows() == 50 && old.status().state() == ProjectionStatus.State.RUNNING, "version 1 applied");
            try (ProjectionRunner<Event<AccountEvent>> upgraded = runner(accounts, name, v2, v2.store, heardByNew)
                    .withRetiredRetention(Duration.ZERO).start()) {
                await(() -> upgraded.status().state() == ProjectionStatus.State.RUNNING && heardByNew.heard.size() == 1
                        && old.status().state() == ProjectionStatus.State.SUPERSEDED, "version 2 built, switched, version 1 retired");
                await(() -> generations(v2, name).get(0).state() == Generation.State.DROPPED, "the retired generation dropped");

                assertThat(generations(v2, name)).extracting(Generation::number, Generation::version, Generation::state)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 1, Generation.State.DROPPED),
                                org.assertj.core.groups.Tuple.tuple(2, 2, Generation.State.LIVE));
                assertThat(heardByNew.heard).containsExactly("1 RETIRED -> 2 LIVE");
                assertThat(v2.history()).isEqualTo(expected);
                assertThat(tables(v2)).as("generation 1's tables dropped").doesNotContain("ACCOUNT_HISTORY_G1", "BALANCES_G1")
                        .contains("ACCOUNT_HISTORY_G2", "BALANCES_G2");
                assertThat(old.status().lastError()).get().extracting(ProjectionStatus.Failure::message).asString()
                        .contains("built by version 2");
            }
        }
    }

    private static List<String> tables(AccountBalances balances) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = balances.connect(); ResultSet rows = connection.getMetaData().getTables(null, null, "%", new String[]{"TABLE"})) {
            while (rows.next()) {
                names.add(rows.getString("TABLE_NAME").toUpperCase(java.util.Locale.ROOT));
            }
        }
        return names;
    }

}
