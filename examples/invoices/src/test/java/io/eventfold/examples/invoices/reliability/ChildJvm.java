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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A main class run in its own JVM, with this JVM's class path, so that a test can kill it for
 * real ({@code kill -9}). Its output goes to a log file; {@link #start} returns once it printed
 * its ready line, and {@link #awaitLine} waits for the lines it prints after.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final String readyLine;
    private final Thread pump;
    /** Every line printed, in order; {@link #awaitLine} takes them from {@link #unread}. */
    private final List<String> lines;
    private final BlockingQueue<String> unread;

    private ChildJvm(String name, Process process, String readyLine, Thread pump, List<String> lines, BlockingQueue<String> unread) {
        this.name = name;
        this.process = process;
        this.readyLine = readyLine;
        this.pump = pump;
        this.lines = lines;
        this.unread = unread;
    }

    static ChildJvm start(String name, Path logDir, String readyPrefix, Class<?> mainClass, String... args) throws Exception {
        return start(name, logDir, readyPrefix, java.util.Map.of(), mainClass, args);
    }

    /** As {@link #start(String, Path, String, Class, String...)}, with these environment variables added to this JVM's. */
    static ChildJvm start(String name, Path logDir, String readyPrefix, java.util.Map<String, String> env, Class<?> mainClass,
                          String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Files.createDirectories(logDir);
        File log = logDir.resolve(name + ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        List<String> lines = new CopyOnWriteArrayList<>();
        BlockingQueue<String> unread = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log.toPath(), StandardCharsets.UTF_8,
                         java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(line);
                    lines.add(line);
                    if (ready.isDone()) {
                        unread.add(line);
                    }
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
            return new ChildJvm(name, process, ready.get(90, TimeUnit.SECONDS), pump, lines, unread);
        } catch (Exception e) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " did not get ready; see " + log, e);
        }
    }

    /** What followed the ready prefix, e.g. the broker's bootstrap address. */
    String readyLine() {
        return readyLine;
    }

    /**
     * Waits for the next line, printed after the ready line and not taken by an earlier call, that
     * starts with {@code prefix}; the lines before it are passed over.
     *
     * @throws IllegalStateException when no such line comes in time, or the process ended without it
     */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = unread.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && !pump.isAlive() && unread.isEmpty()) {
                throw new IllegalStateException(this + " ended without printing a line starting with '" + prefix + "'");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(this + " printed no line starting with '" + prefix + "' within " + timeout);
            }
        }
    }

    /** Every line the process printed so far, the ready line included; after {@link #kill} or {@link #stop}, all of them. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** {@code kill -9}: no shutdown hook, no clean close, nothing flushed. Returns once its output is read to the end. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        pump.join(10_000);
    }

    /** SIGTERM, and wait for the shutdown hooks to finish. */
    void stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(10_000);
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
