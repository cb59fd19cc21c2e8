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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.eventfold.kafka.Cluster.accountsWithTopics;
import static io.eventfold.kafka.projection.ProjectionIT.await;
import static io.eventfold.kafka.projection.RawEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/** A version missing from an aggregate's events stops the projection, loudly, before anything of the batch is applied. */
class ProjectionGapIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void shouldStopAtAGapNamingItAndApplyNothingOfTheBatch() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "gappy", 1);
        TopicPartition partition = new TopicPartition("gappy-events", 0);
        AccountBalances balances = new AccountBalances("jdbc:h2:file:" + dir.resolve("gappy") + ";DB_CLOSE_DELAY=-1", "gappy-balances");
        List<ProjectionStatus.State> states = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<ProjectionStatus> failedStatuses = new CopyOnWriteArrayList<>();
        try (RawEvents raw = new RawEvents(kafka, accounts);
             ProjectionRunner<Event<AccountEvent>> runner = ProjectionRunner
                     .forEvents(accounts, kafka.bootstrapServers(), "gappy-balances", balances, balances.store)
                     .addListener(new ProjectionListener() {
                         @Override
                         public void onStateChange(ProjectionStatus before, ProjectionStatus now) {
                             states.add(now.state());
                         }

                         @Override
                         public void onFailure(ProjectionStatus status, Throwable error) {
                             failedStatuses.add(status);
                             failures.add(error);
                         }
                     }).start()) {
            raw.write(event("acc-1", 1, new Opened("ann")), event("acc-1", 2, new Deposited(10)));   // offsets 0, 1; marker 2
            await(() -> runner.status().state() == ProjectionStatus.State.RUNNING && runner.applied() == 2, "versions 1 and 2 applied");
            Map<TopicPartition, Long> before = checkpoints(balances, partition);

            raw.write(event("acc-2", 1, new Opened("bob")), event("acc-1", 4, new Deposited(5)));    // offsets 3, 4
            await(() -> runner.status().state() == ProjectionStatus.State.FAILED, "the runner stopped");

            String message = "projection gappy-balances (generation 1): aggregate acc-1 jumps from version 2 to version 4 at"
                    + " gappy-events-0@4; version 3 is missing from the read model. Nothing of this batch was applied. Find the cause"
                    + " (a sink that lost transactions but kept later ones, events deleted), then rebuild the projection";
            ProjectionStatus status = runner.status();
            assertThat(status.lastError()).get().satisfies(failure -> {
                assertThat(failure.type()).isEqualTo(VersionGapException.class.getName());
                assertThat(failure.message()).isEqualTo(message);
                assertThat(failure.coordinates()).hasValue("gappy-events-0@4");
            });
            assertThat(status.lag()).as("a stopped runner reports no lag").isEqualTo(-1);
            assertThat(status.assigned()).isEmpty();
            assertThat(runner.isRunning()).isFalse();
            assertThat(runner.failure()).get().isInstanceOf(VersionGapException.class);
            VersionGapException gap = (VersionGapException) runner.failure().orElseThrow();
            assertThat(gap.aggregateId()).isEqualTo("acc-1");
            assertThat(gap.lastApplied()).isEqualTo(2);
            assertThat(gap.received()).isEqualTo(4);
            assertThat(failures).as("the listener heard of it").singleElement().isSameAs(gap);
            assertThat(failedStatuses).singleElement().extracting(ProjectionStatus::state).isEqualTo(ProjectionStatus.State.FAILED);
            assertThat(states).endsWith(ProjectionStatus.State.FAILED);

            assertThat(balances.history()).as("nothing of the batch: no acc-2, no version 4").isEqualTo(Map.of("acc-1", List.of(1L, 2L)));
            assertThat(checkpoints(balances, partition)).as("the checkpoint did not move").isEqualTo(before).isEqualTo(Map.of(partition, 3L));
        }

        try (ProjectionRunner<Event<AccountEvent>> again = ProjectionRunner
                .forEvents(accounts, kafka.bootstrapServers(), "gappy-balances", balances, balances.store).start()) {
            await(() -> again.status().state() == ProjectionStatus.State.FAILED, "a restarted runner stops at the same gap");
            assertThat(again.failure()).get().isInstanceOf(VersionGapException.class)
                    .extracting(e -> ((VersionGapException) e).coordinates()).isEqualTo("gappy-events-0@4");
        }
    }

    private static Map<TopicPartition, Long> checkpoints(AccountBalances balances, TopicPartition partition) throws Exception {
        try (Connection connection = balances.connect()) {
            Generation g = balances.store.forReading(connection, "gappy-balances", 1).orElseThrow();
            return balances.store.positions(connection, g, List.of(partition));
        }
    }
}
