package io.eventfold.kafka.projection;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class VersionGuardTest {

    private Connection connection;
    private final VersionGuard guard = VersionGuard.forProjection("invoice-list");

    @BeforeEach
    void openDatabase() throws SQLException {
        connection = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID());
        guard.createTableIfMissing(connection);
        guard.createTableIfMissing(connection);
        connection.setAutoCommit(false);
    }

    @Test
    void shouldRefuseToGuardOutsideATransaction() throws SQLException {
        connection.setAutoCommit(true);

        org.assertj.core.api.Assertions.assertThatIllegalStateException()
                .isThrownBy(() -> guard.advance(connection, "INV-7", 1))
                .withMessage("advance needs a transaction: call connection.setAutoCommit(false) first");
    }

    @Test
    void shouldApplyEachVersionOnce() throws SQLException {
        assertThat(guard.advance(connection, "INV-7", 1)).isTrue();
        assertThat(guard.advance(connection, "INV-7", 2)).isTrue();
        assertThat(guard.advance(connection, "INV-7", 2)).isFalse();
        assertThat(guard.advance(connection, "INV-7", 1)).isFalse();
        assertThat(guard.advance(connection, "INV-8", 1)).isTrue();
        assertThat(guard.version(connection, "INV-7")).isEqualTo(OptionalLong.of(2));
        assertThat(guard.version(connection, "INV-9")).isEmpty();
    }

    @Test
    void shouldApplyTheVersionAfterASkippedOne() throws SQLException {
        guard.advance(connection, "INV-7", 2);

        assertThat(guard.advance(connection, "INV-7", 4)).as("version 3 was skipped under UnknownTypePolicy.SKIP").isTrue();
        assertThat(guard.advance(connection, "INV-7", 3)).as("an older version, late").isFalse();
    }

    @Test
    void shouldKeepProjectionsApart() throws SQLException {
        VersionGuard other = VersionGuard.forProjection("overdue-report");

        guard.advance(connection, "INV-7", 3);

        assertThat(other.advance(connection, "INV-7", 1)).isTrue();
        assertThat(guard.version(connection, "INV-7")).isEqualTo(OptionalLong.of(3));
    }

    @Test
    void shouldForgetItsVersionsOnReset() throws SQLException {
        guard.advance(connection, "INV-7", 3);

        guard.reset(connection);

        assertThat(guard.advance(connection, "INV-7", 1)).isTrue();
    }

    @Test
    void shouldNotRollForwardWhenTheTransactionRollsBack() throws SQLException {
        guard.advance(connection, "INV-7", 1);
        connection.commit();

        assertThat(guard.advance(connection, "INV-7", 2)).isTrue();
        connection.rollback();

        assertThat(guard.advance(connection, "INV-7", 2)).isTrue();
    }

    @Test
    void shouldRefuseATableNameThatIsNotAnIdentifier() {
        assertThatIllegalArgumentException().isThrownBy(() -> guard.withTable("versions; DROP TABLE invoices"))
                .withMessage("table name 'versions; DROP TABLE invoices' must be a plain SQL identifier");
        assertThatIllegalArgumentException().isThrownBy(() -> VersionGuard.forProjection(" "))
                .withMessage("projection must not be blank");
    }
}
