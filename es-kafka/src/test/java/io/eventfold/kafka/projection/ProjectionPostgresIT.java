package io.eventfold.kafka.projection;

import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.testing.LocalPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The exactly-once scenario of {@link ProjectionIT} with the read model in PostgreSQL. */
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
}
