package io.eventfold.examples.invoices.reliability;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A main class run in its own JVM, with this JVM's class path, so that a test can kill it for
 * real ({@code kill -9}). Its output goes to a log file; {@link #start} returns once it printed
 * its ready line.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final String readyLine;

    private ChildJvm(String name, Process process, String readyLine) {
        this.name = name;
        this.process = process;
        this.readyLine = readyLine;
    }

    static ChildJvm start(String name, Path logDir, String readyPrefix, Class<?> mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Files.createDirectories(logDir);
        File log = logDir.resolve(name + ".log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log.toPath(), StandardCharsets.UTF_8,
                         java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(line);
                    if (line.startsWith(readyPrefix)) {
                        ready.complete(line.substring(readyPrefix.length()).trim());
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
            ready.completeExceptionally(new IllegalStateException(name + " exited before it was ready; see " + log));
        }, name + "-output");
        pump.setDaemon(true);
        pump.start();
        try {
            return new ChildJvm(name, process, ready.get(90, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " did not get ready; see " + log, e);
        }
    }

    /** What followed the ready prefix, e.g. the broker's bootstrap address. */
    String readyLine() {
        return readyLine;
    }

    /** {@code kill -9}: no shutdown hook, no clean close, nothing flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, and wait for the shutdown hooks to finish. */
    void stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(30));
        }
    }

    @Override
    public String toString() {
        return name + "(pid " + process.pid() + ")";
    }
}
