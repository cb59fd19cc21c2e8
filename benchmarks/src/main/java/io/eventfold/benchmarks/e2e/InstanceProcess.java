package io.eventfold.benchmarks.e2e;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An application instance ({@link InstanceMain}) in a JVM of its own, on this JVM's class path, and
 * the last status it printed.
 *
 * <pre>{@code
 * InstanceProcess instance = InstanceProcess.start(bootstrap, "instances-2", stateDir, "instances-2#0");
 * instance.awaitRunning(Duration.ofMinutes(2));
 * InstanceProcess.Status status = instance.status();
 * InstanceProcess.stopAll(List.of(instance));
 * }</pre>
 */
final class InstanceProcess {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceProcess.class);
    private static final Pattern STATUS = Pattern.compile(Pattern.quote(InstanceMain.STATUS)
            + "(\\w+)(?: active=(\\d+) standby=(\\d+))?");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /**
     * What an instance printed last.
     *
     * @param state its Kafka Streams state, or {@code STARTING} before its first status line
     * @param activeTasks the active tasks it owns
     * @param standbyTasks the standby tasks it owns
     */
    record Status(String state, int activeTasks, int standbyTasks) {

        boolean running() {
            return state.equals("RUNNING");
        }
    }

    private final String name;
    private final Process process;
    private final AtomicLong changes;
    private volatile Status status = new Status("STARTING", 0, 0);

    private InstanceProcess(String name, Process process, AtomicLong changes) {
        this.name = name;
        this.process = process;
        this.changes = changes;
    }

    /**
     * Starts an instance; it joins the group of application id {@code typeName}.
     *
     * @param changes counts the status lines of every instance of a pass: unchanged means settled
     */
    static InstanceProcess start(String bootstrap, String typeName, Path stateDir, String name, AtomicLong changes)
            throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx1g", "-XX:+UseG1GC",
                "-cp", System.getProperty("java.class.path"), InstanceMain.class.getName(),
                bootstrap, typeName, stateDir.toString())
                .redirectErrorStream(true)
                .start();
        InstanceProcess instance = new InstanceProcess(name, process, changes);
        Thread reader = new Thread(instance::readOutput, name + "-output");
        reader.setDaemon(true);
        reader.start();
        LOG.info("{}: process {} started", name, process.pid());
        return instance;
    }

    /** Keeps the pipe drained (a full pipe would block the instance) and keeps its last status. */
    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Matcher matcher = STATUS.matcher(line);
                if (matcher.matches()) {
                    status = matcher.group(2) == null ? new Status(matcher.group(1), 0, 0)
                            : new Status(matcher.group(1), Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)));
                    changes.incrementAndGet();
                    LOG.debug("{}: {}", name, status);
                } else if (line.contains("ERROR") || line.contains("Exception")) {
                    LOG.warn("{}: {}", name, line);
                } else {
                    LOG.debug("{}: {}", name, line);
                }
            }
        } catch (IOException e) {
            LOG.debug("{}: output closed: {}", name, e.getMessage());
        }
    }

    String name() {
        return name;
    }

    Status status() {
        return status;
    }

    /** Fails with the instance's name and exit status if its process has ended. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " (process " + process.pid() + ") exited with status "
                    + process.exitValue() + " in state " + status.state());
        }
    }

    /** Waits for the instance's ready line: its first RUNNING status. */
    void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!status.running()) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not RUNNING after " + timeout + "; last status " + status);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Stops the instances with SIGTERM, all at once so that none waits for the others' rebalances,
     * and kills any that has not stopped within a minute.
     */
    static void stopAll(Iterable<InstanceProcess> instances) {
        for (InstanceProcess instance : instances) {
            instance.process.destroy();
        }
        for (InstanceProcess instance : instances) {
            try {
                if (!instance.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("{} (process {}) did not stop within {}; killing it", instance.name, instance.process.pid(),
                            STOP_TIMEOUT);
                    instance.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                instance.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
