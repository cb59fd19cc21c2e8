package io.eventfold.kafka.projection;

import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.testing.LocalPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/** The exactly-once scenario of {@link ProjectionIT} and the two-runner rebuild of {@link ProjectionRebuildIT} with the read model in PostgreSQL. */
class ProjectionPostgresIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final LocalPostgres postgres = new LocalPostgres();

    @TempDir
    Path dir;

    @Test
    void shouldApplyEveryEventExactlyOnceAcrossAFailedBatchACloseAndARestart() throws Exception {
        ProjectionIT.exactlyOnceAcrossAFailedBatchACloseAndARestart(kafka, dir, "pg-ledger", postgres.jdbcUrl());
    }

    @Test
    void shouldRebuildWithTwoRunnersInOneGroupAndSwitchOnce() throws Exception {
        // A database of its own: both scenarios' read models name their tables alike.
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE rebuild");
        }
        ProjectionRebuildIT.twoRunnersRebuild(kafka, "pg-two", postgres.jdbcUrl().replace("/postgres?", "/rebuild?"));
    }
}
