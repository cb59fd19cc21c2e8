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
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.eventfold.kafka.Cluster.accountsWithTopics;
import static io.eventfold.kafka.projection.ProjectionIT.await;
import static io.eventfold.kafka.projection.RawEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A runner stalls in the middle of a batch past {@code max.poll.interval.ms}: the group gives its
 * partition to another runner while the stalled one still holds an open transaction. When it
 * wakes up, the checkpoint's compare-and-set lets only one of the two commit each batch.
 */
class ProjectionFencingIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    /** Balances whose first batch blocks until released. */
    static final class Stalling implements Projection<Connection, Event<AccountEvent>> {
        private final AccountBalances balances;
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private boolean first = true;

        Stalling(AccountBalances balances) {
            this.balances = balances;
        }

        @Override
        public void createTables(Connection connection, Generation generation) throws SQLException {
            balances.createTables(connection, generation);
        }

        @Override
        public void apply(Connection connection, Generation generation, List<Delivery<Event<AccountEvent>>> batch) throws Exception {
            balances.apply(connection, generation, batch);
            if (first) {
                first = false;
                stalled.countDown();
                assertThat(release.await(60, TimeUnit.SECONDS)).as("released").isTrue();
            }
        }

        @Override
        public void dropTables(Connection connection, Generation generation) throws SQLException {
            balances.dropTables(connection, generation);
        }
    }

    @Test
    void shouldLetOnlyOneOfTwoRunnersCommitABatchWhenOneStalledPastThePollInterval() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "fenced", 1);
        AccountBalances balances = new AccountBalances("jdbc:h2:file:" + dir.resolve("fenced") + ";DB_CLOSE_DELAY=-1", "fenced");
        Map<String, List<Long>> expected = new TreeMap<>();
        try (RawEvents raw = new RawEvents(kafka, accounts)) {
            for (int a = 0; a < 3; a++) {
                List<Event<AccountEvent>> events = new ArrayList<>();
                events.add(event("acc-" + a, 1, new Opened("owner-" + a)));
                for (long v = 2; v <= 10; v++) {
                    events.add(event("acc-" + a, v, new Deposited(v)));
                }
                raw.write(events.toArray(Event[]::new));
                expected.put("acc-" + a, events.stream().map(Event::version).toList());
            }
        }
        Stalling stalling = new Stalling(balances);
        Properties stallsQuickly = new Properties();
        stallsQuickly.put("max.poll.records", 7);
        stallsQuickly.put("max.poll.interval.ms", 3000);
        Properties smallBatches = new Properties();
        smallBatches.put("max.poll.records", 7);

        try (ProjectionRunner<Event<AccountEvent>> zombie = ProjectionRunner
                .forEvents(accounts, kafka.bootstrapServers(), "fenced", stalling, balances.store)
                .withConsumerProperties(stallsQuickly).start()) {
            assertThat(stalling.stalled.await(60, TimeUnit.SECONDS)).as("the first runner stalls in its first batch").isTrue();
            try (ProjectionRunner<Event<AccountEvent>> successor = ProjectionRunner
                    .forEvents(accounts, kafka.bootstrapServers(), "fenced", balances, balances.store)
                    .withConsumerProperties(smallBatches).start()) {
                await(() -> successor.status().assigned().contains(new TopicPartition("fenced-events", 0)),
                        "the group gave the stalled runner's partition to the other");
                stalling.release.countDown();
                await(() -> balances.historyRows() == 30
                                && (successor.status().state() == ProjectionStatus.State.RUNNING
                                || zombie.status().state() == ProjectionStatus.State.RUNNING),
                        "every event applied");

                assertThat(balances.history()).as("each version once, whoever committed it").isEqualTo(expected);
                assertThat(zombie.applied() + successor.applied()).as("events the two runners committed").isEqualTo(30);
                assertThat(zombie.applied()).as("the stalled runner held its claim: its batch committed, and only there").isGreaterThanOrEqualTo(7);
                assertThat(zombie.status().state()).isNotEqualTo(ProjectionStatus.State.FAILED);
                assertThat(successor.status().state()).isNotEqualTo(ProjectionStatus.State.FAILED);
            }
        }
    }
}
