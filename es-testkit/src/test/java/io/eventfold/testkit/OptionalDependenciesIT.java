package io.eventfold.testkit;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.kafka.projection.Delivery;
import io.eventfold.kafka.projection.Generation;
import io.eventfold.kafka.projection.Projection;
import io.eventfold.kafka.projection.ProjectionRunner;
import io.eventfold.kafka.projection.jdbc.JdbcCheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Micrometer and OpenTelemetry are optional: this module has neither on its class path (es-kafka
 * declares both optional), and the topology, a gateway and a projection runner work on a real
 * broker all the same.
 */
class OptionalDependenciesIT {

    @RegisterExtension
    static final EventfoldKafka kafka = EventfoldKafka.running(Accounts.TYPE).partitions(1);

    @Test
    void theClassPathHasNeitherMicrometerNorOpenTelemetry() {
        assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.opentelemetry.api.OpenTelemetry"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void aCommandIsAnsweredAndProjectedWithoutThem() throws Exception {
        String url = "jdbc:h2:mem:optional;DB_CLOSE_DELAY=-1";
        JdbcCheckpointStore store = JdbcCheckpointStore.of(() -> DriverManager.getConnection(url));
        CommandGateway<AccountCommand, AccountEvent, Account> gateway = kafka.gateway(Accounts.TYPE);
        CommandResult<AccountEvent, Account> result = gateway.send("acc-plain", new Open("alice"), ExpectedVersion.noStream()).join();
        assertThat(result.kind()).isEqualTo(CommandResult.Kind.ACCEPTED);
        assertThat(gateway.pendingCount()).isZero();

        try (ProjectionRunner<Event<AccountEvent>> runner = ProjectionRunner
                .forEvents(Accounts.TYPE, kafka.bootstrapServers(), "plain-owners", new Owners(), store).start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (owner(url, runner) == null) {
                assertThat(System.nanoTime()).as("the projection applied the event within 60 s").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(owner(url, runner)).isEqualTo("alice");
        }
    }

    private static String owner(String url, ProjectionRunner<?> runner) throws SQLException {
        if (runner.applied() == 0) {
            return null;
        }
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT owner FROM owners_g1 WHERE account = 'acc-plain'")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    /** The owner of each opened account. */
    private static final class Owners implements Projection<Connection, Event<AccountEvent>> {

        @Override
        public void createTables(Connection connection, Generation generation) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + generation.table("owners")
                        + " (account VARCHAR(100) PRIMARY KEY, owner VARCHAR(100))");
            }
        }

        @Override
        public void apply(Connection connection, Generation generation, List<Delivery<Event<AccountEvent>>> batch) throws SQLException {
            for (Delivery<Event<AccountEvent>> delivery : batch) {
                if (delivery.value().payload() instanceof AccountEvent.Opened opened) {
                    try (PreparedStatement insert = connection.prepareStatement("MERGE INTO " + generation.table("owners")
                            + " (account, owner) KEY (account) VALUES (?, ?)")) {
                        insert.setString(1, delivery.value().aggregateId());
                        insert.setString(2, opened.owner());
                        insert.executeUpdate();
                    }
                }
            }
        }

        @Override
        public void dropTables(Connection connection, Generation generation) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + generation.table("owners"));
            }
        }
    }
}
