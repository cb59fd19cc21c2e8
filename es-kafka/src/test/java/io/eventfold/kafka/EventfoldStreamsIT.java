package io.eventfold.kafka;

import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.client.CommandGateway;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting the command topology on a real broker when Kafka Streams itself fails to start. */
class EventfoldStreamsIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path stateDir;

    /**
     * Kafka Streams opens the stores it finds on disk in {@code start()}; a corrupted one makes it
     * throw. The instance must not be left holding its clients and the state directory's lock, or
     * the application could not start again in this process once the store is repaired.
     */
    @Test
    void shouldReleaseTheStateDirectoryWhenStartFails() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> type = Cluster.accountsWithTopics(kafka, "corrupt", 1);
        Properties props = Cluster.streamsProps(kafka, "corrupt-app", stateDir);
        KafkaStreams first = EventfoldStreams.start(props, type);
        try (CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, type, Duration.ofSeconds(60))) {
            gateway.send("acc-1", new Open("alice"), ExpectedVersion.noStream()).join();
        } finally {
            Cluster.stop(first);
        }
        Map<Path, byte[]> stores = corruptLocalStores(stateDir.resolve("corrupt-app"));

        // Every store of the type is corrupted; which one Kafka Streams opens first is its business.
        assertThatThrownBy(() -> EventfoldStreams.start(props, type))
                .isInstanceOf(org.apache.kafka.streams.errors.StreamsException.class)
                .satisfies(failure -> assertThat(type.stores().all()).anyMatch(store -> failure.getMessage().contains(store)));

        stores.forEach(EventfoldStreamsIT::write);
        try (KafkaStreams repaired = EventfoldStreams.start(props, type)) {
            Cluster.awaitRunning(repaired);
        }
    }

    /** Overwrites the CURRENT file of every RocksDB store under the directory; returns the original contents. */
    private static Map<Path, byte[]> corruptLocalStores(Path applicationDir) throws IOException {
        Map<Path, byte[]> originals = new LinkedHashMap<>();
        List<Path> currents;
        try (Stream<Path> files = Files.walk(applicationDir)) {
            currents = files.filter(file -> file.getFileName().toString().equals("CURRENT")).toList();
        }
        for (Path current : currents) {
            originals.put(current, Files.readAllBytes(current));
            write(current, "not a rocksdb manifest".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(originals).as("RocksDB stores under " + applicationDir).isNotEmpty();
        return originals;
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
