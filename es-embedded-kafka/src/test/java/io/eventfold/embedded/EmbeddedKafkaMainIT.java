package io.eventfold.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker as a child process: the ready line its parent reads, its broker properties, a clean stop. */
class EmbeddedKafkaMainIT {

    @TempDir
    Path dir;

    @Test
    void shouldPrintItsAddressServeClientsAndStopOnSigterm() throws Exception {
        Path data = dir.resolve("kafka");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), EmbeddedKafkaMain.class.getName(),
                data.toString(), "0", "log.retention.hours=5")
                .redirectErrorStream(true)
                .start();
        List<String> output = new ArrayList<>();
        CompletableFuture<String> ready = readReadyLine(child, output);
        try {
            String bootstrap = ready.get(90, TimeUnit.SECONDS);
            assertThat(bootstrap).as("address after %s", EmbeddedKafkaMain.READY).matches("localhost:\\d+");

            Topics.create(bootstrap, "payments");
            try (KafkaProducer<String, String> producer = Topics.transactionalProducer(bootstrap)) {
                Topics.writeInTransaction(producer, "payments", true, "PAY-1");
            }
            assertThat(Topics.readCommitted(bootstrap, "payments", 1)).containsExactly("PAY-1");
            assertThat(brokerConfig(bootstrap, "log.retention.hours")).as("broker property from the command line").isEqualTo("5");
        } finally {
            child.destroy();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("broker process %d stopped after SIGTERM; output %s",
                    child.pid(), output).isTrue();
        }

        assertThat(data.resolve("meta.properties")).as("data kept in %s", data).exists();
        // The shutdown hook released the directory: a broker in this JVM can take it over.
        try (EmbeddedKafka next = EmbeddedKafka.builder().dataDir(data).build().start()) {
            assertThat(Topics.readCommitted(next.bootstrapServers(), "payments", 1)).containsExactly("PAY-1");
        }
    }

    private static CompletableFuture<String> readReadyLine(Process child, List<String> output) {
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.startsWith(EmbeddedKafkaMain.READY)) {
                        ready.complete(line.substring(EmbeddedKafkaMain.READY.length()).trim());
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process is gone
            }
            ready.completeExceptionally(new IllegalStateException("the broker process ended before it was ready: " + output));
        }, "embedded-kafka-main-output");
        reader.setDaemon(true);
        reader.start();
        return ready;
    }

    private static String brokerConfig(String bootstrap, String name) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            return admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker).get(name).value();
        }
    }
}
