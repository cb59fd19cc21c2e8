package io.eventfold.benchmarks.e2e;

import io.eventfold.embedded.EmbeddedKafkaMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Kafka broker in a JVM of its own ({@link EmbeddedKafkaMain} on this JVM's class path), so the
 * broker's garbage collection and threads are not measured as the application's.
 *
 * <pre>{@code
 * try (BrokerProcess broker = BrokerProcess.start(dataDir, Duration.ofMinutes(1))) {
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class BrokerProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerProcess.class);

    private final Process process;
    private final String bootstrapServers;

    private BrokerProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /** System property: extra JVM options of the broker process, separated by spaces. */
    public static final String BROKER_JVM_ARGS = "benchmarks.broker.jvmArgs";

    /**
     * Starts a broker on a free port and waits until it serves requests.
     *
     * @param dataDir the broker's log directory
     * @param timeout how long to wait for {@code BROKER READY}
     * @return the running broker
     * @throws IOException if the process cannot be started or does not get ready in time
     */
    public static BrokerProcess start(Path dataDir, Duration timeout) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:+UseG1GC"));
        // E.g. -Dbenchmarks.broker.jvmArgs=-XX:StartFlightRecording=filename=broker.jfr,settings=profile to profile the broker.
        String extra = System.getProperty(BROKER_JVM_ARGS, "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EmbeddedKafkaMain.class.getName(), dataDir.toString(), "0"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> forwardOutput(process, ready), "broker-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String bootstrap = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("broker process {} ready at {}", process.pid(), bootstrap);
            return new BrokerProcess(process, bootstrap);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("the broker process did not get ready within " + timeout, e);
        }
    }

    /** Keeps the pipe drained (a full pipe would block the broker) and spots the ready line. */
    private static void forwardOutput(Process process, CompletableFuture<String> ready) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith(EmbeddedKafkaMain.READY)) {
                    ready.complete(line.substring(EmbeddedKafkaMain.READY.length()).trim());
                } else {
                    LOG.debug("broker: {}", line);
                    if (line.contains("ERROR") || line.contains("Exception")) {
                        LOG.warn("broker: {}", line);
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("broker output closed: {}", e.getMessage());
        }
        // Output ends when the process exits or closes it; only before READY is that a failure.
        ready.completeExceptionally(new IOException("the broker process closed its output before it was ready"));
    }

    /**
     * The broker's address.
     *
     * @return {@code host:port}
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker with SIGTERM, and kills it if it has not stopped within 30 seconds. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                LOG.warn("broker process {} did not stop within 30 s; killing it", process.pid());
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
