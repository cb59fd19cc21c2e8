package io.eventfold.embedded;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broker in this JVM: transactions, restarts on the same data, temporary data, one broker per directory. */
class EmbeddedKafkaIT {

    @TempDir
    Path dir;

    @Test
    void shouldShowReadCommittedConsumersOnlyCommittedTransactions() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            String bootstrap = kafka.bootstrapServers();
            Topics.create(bootstrap, "orders");
            try (KafkaProducer<String, String> producer = Topics.transactionalProducer(bootstrap)) {
                Topics.writeInTransaction(producer, "orders", true, "first", "second");
                Topics.writeInTransaction(producer, "orders", false, "aborted");
                Topics.writeInTransaction(producer, "orders", true, "third");
            }

            assertThat(Topics.readCommitted(bootstrap, "orders", 3))
                    .as("committed values of topic orders on %s", bootstrap)
                    .containsExactly("first", "second", "third");
        }
    }

    @Test
    void shouldKeepTopicsRecordsAndClusterIdWhenRestartedOnTheSameDataDir() throws Exception {
        Path data = dir.resolve("kafka");
        String clusterId;
        try (EmbeddedKafka first = EmbeddedKafka.builder().dataDir(data).build().start()) {
            clusterId = first.clusterId();
            Topics.create(first.bootstrapServers(), "invoices");
            try (KafkaProducer<String, String> producer = Topics.transactionalProducer(first.bootstrapServers())) {
                Topics.writeInTransaction(producer, "invoices", true, "INV-1", "INV-2");
            }
        }

        try (EmbeddedKafka second = EmbeddedKafka.builder().dataDir(data).build().start()) {
            assertThat(second.clusterId()).as("cluster id of %s", data).isEqualTo(clusterId);
            assertThat(Topics.names(second.bootstrapServers())).contains("invoices");
            assertThat(Topics.readCommitted(second.bootstrapServers(), "invoices", 2))
                    .as("values of topic invoices after a restart on %s", data)
                    .containsExactly("INV-1", "INV-2");
        }
    }

    @Test
    void shouldDeleteItsTemporaryDataDirOnClose() {
        Path data;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            data = kafka.dataDir();
            assertThat(data.resolve("meta.properties")).as("formatted temporary data directory").exists();
        }

        assertThat(data).as("temporary data directory after close").doesNotExist();
    }

    @Test
    void shouldTurnAwayASecondBrokerOnTheSameDataDir() {
        Path data = dir.resolve("shared");
        try (EmbeddedKafka first = EmbeddedKafka.builder().dataDir(data).build().start();
             EmbeddedKafka second = EmbeddedKafka.builder().dataDir(data).build()) {
            assertThatThrownBy(second::start)
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining(data.toString())
                    .hasStackTraceContaining("another broker runs on");
            assertThat(first.isRunning()).as("the first broker on %s", data).isTrue();
            assertThat(second.isRunning()).isFalse();
        }

        assertThat(Files.exists(data.resolve("meta.properties"))).as("data of %s kept", data).isTrue();
    }
}
