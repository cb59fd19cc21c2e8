package io.eventfold.kafka.projection;

import io.eventfold.core.Event;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.AggregateType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static io.eventfold.kafka.Cluster.accountsWithTopics;
import static io.eventfold.kafka.projection.ProjectionIT.await;
import static io.eventfold.kafka.projection.ProjectionIT.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read model's database loses its last committed transactions, as H2 does after a kill within
 * its write delay (or PostgreSQL with {@code synchronous_commit=off} after a crash): what survives
 * is the state after an earlier commit. The checkpoints went back with the rows, so the runner
 * reads the lost records again and the model ends complete.
 */
class ProjectionDurabilityIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void shouldReadAgainWhatTheDatabaseLostWithItsLastTransactions() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "durable", 3);
        AccountBalances balances = new AccountBalances("jdbc:h2:file:" + dir.resolve("durable") + ";DB_CLOSE_DELAY=-1", "durable");
        Map<String, Long> expected = new TreeMap<>();
        Map<String, Long> versions = new TreeMap<>();
        Path earlier = dir.resolve("earlier.sql");

        write(kafka, accounts, "durable-app", dir.resolve("streams"), expected, versions);
        catchUp(accounts, balances);
        Map<String, Long> balancesThen = balances.balances();
        try (Connection connection = balances.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SCRIPT TO '" + earlier + "'");   // the database as an earlier commit left it
        }
        int events = write(kafka, accounts, "durable-app", dir.resolve("streams"), expected, versions);
        assertThat(events).as("the second workload wrote events").isPositive();
        catchUp(accounts, balances);
        assertThat(balances.balances()).isEqualTo(expected).isNotEqualTo(balancesThen);

        // The last transactions are lost: the database is back to the earlier commit, every table alike.
        try (Connection connection = balances.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP ALL OBJECTS");
            statement.execute("RUNSCRIPT FROM '" + earlier + "'");
        }
        assertThat(balances.balances()).isEqualTo(balancesThen);

        catchUp(accounts, balances);

        assertThat(balances.balances()).as("the lost batches were read and applied again").isEqualTo(expected);
        assertThat(balances.history()).as("every version of every account once")
                .isEqualTo(versions.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                        e -> LongStream.rangeClosed(1, e.getValue()).boxed().toList(), (a, b) -> a, TreeMap::new)));
    }

    /** Runs the projection until it is at the end of the topic, then closes it. */
    private static void catchUp(AggregateType<AccountCommand, AccountEvent, Account> accounts, AccountBalances balances) throws Exception {
        try (ProjectionRunner<Event<AccountEvent>> runner = ProjectionRunner
                .forEvents(accounts, kafka.bootstrapServers(), "durable", balances, balances.store).start()) {
            await(() -> runner.status().state() == ProjectionStatus.State.RUNNING, "the runner caught up");
        }
    }

}
