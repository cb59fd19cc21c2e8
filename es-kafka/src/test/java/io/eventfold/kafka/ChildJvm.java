package io.eventfold.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A main class run in its own JVM with this JVM's class path, so that a test can kill it for real
 * ({@code kill -9}: no shutdown hook, no clean close, nothing flushed). Its output is echoed to
 * standard error with its name, and can be waited for line by line.
 */
public final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Thread pump;
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.pump = new Thread(this::pump, name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new JVM of at most 256 MB of heap.
     *
     * @param name how its output lines and errors name it
     */
    public static ChildJvm start(String name, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return new ChildJvm(name, new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                System.err.println(name + " | " + line);
                unread.add(line);
            }
        } catch (IOException closed) {
            // the process is gone
        }
    }

    /**
     * Waits for the next line not taken by an earlier call that matches; the lines before it are
     * passed over.
     *
     * @return the line
     * @throws AssertionError when no such line comes in time, or the process ended without it
     */
    public String awaitLine(Predicate<String> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = unread.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && matching.test(line)) {
                return line;
            }
            if (line == null && !process.isAlive() && !pump.isAlive() && unread.isEmpty()) {
                throw new AssertionError(this + " ended without printing the line awaited");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(this + " did not print the line awaited within " + timeout);
            }
        }
    }

    /** {@code kill -9}, then waits for the process to be gone and its output read. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        pump.join(10_000);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills it if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
