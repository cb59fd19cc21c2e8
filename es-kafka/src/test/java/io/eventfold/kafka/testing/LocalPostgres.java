package io.eventfold.kafka.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A throwaway PostgreSQL server for a test class, from the binaries installed on the machine
 * ({@code EVENTFOLD_PG_BIN}, or the newest {@code /usr/lib/postgresql/<version>/bin}): a new
 * cluster in a temporary directory, on a free port of 127.0.0.1, trust authentication for the
 * user {@code eventfold}. PostgreSQL refuses to run as root, so as root (CI containers) every
 * command runs as the {@code postgres} user through {@code runuser}. Without binaries the test
 * class is skipped, except under {@code CI=true}, where it fails: CI installs them.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalPostgres postgres = new LocalPostgres();
 * ...
 * try (Connection connection = postgres.connect()) { ... }
 * }</pre>
 */
public final class LocalPostgres implements BeforeAllCallback, AfterAllCallback {

    private static final String USER = "eventfold";

    private Path bin;
    private Path dir;
    private int port;
    private boolean asPostgresUser;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    /** Creates the cluster and starts the server. */
    public void start() throws IOException, InterruptedException {
        Optional<Path> binaries = binaries();
        asPostgresUser = "root".equals(System.getProperty("user.name"));
        boolean usable = binaries.isPresent() && (!asPostgresUser || Files.isExecutable(Paths.get("/usr/sbin/runuser"))
                || Files.isExecutable(Paths.get("/sbin/runuser")));
        String missing = "PostgreSQL is not installed (apt-get install postgresql, or set EVENTFOLD_PG_BIN to its bin directory)";
        // CI installs PostgreSQL and must run these tests; a developer machine without it skips them.
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(usable, missing);
        }
        if (!usable) {
            throw new IllegalStateException(missing);
        }
        bin = binaries.get();
        dir = Files.createTempDirectory("eventfold-postgres");
        if (asPostgresUser) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        run(command("initdb", "-D", dir.resolve("data").toString(), "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C",
                "--no-sync"));
        startServer();
    }

    /** Starts the server of the existing cluster again (after {@link #crash()}). */
    public void startServer() throws IOException, InterruptedException {
        run(command("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"));
    }

    /** Stops the server at once, the way a power cut would: no checkpoint, recovery from the WAL at the next start. */
    public void crash() throws IOException, InterruptedException {
        run(command("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "stop"));
    }

    /** Stops the server and deletes the cluster. */
    public void stop() throws IOException, InterruptedException {
        if (dir == null) {
            return;
        }
        try {
            run(command("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            dir = null;
        }
    }

    /**
     * The JDBC URL of the server's {@code postgres} database.
     *
     * @return {@code jdbc:postgresql://127.0.0.1:<port>/postgres?user=eventfold}
     */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER;
    }

    /**
     * Opens a connection to the server.
     *
     * @return a new connection
     * @throws SQLException from the driver
     */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** {@code EVENTFOLD_PG_BIN}, or the newest installed version's bin directory with initdb and pg_ctl. */
    static Optional<Path> binaries() throws IOException {
        String configured = System.getenv("EVENTFOLD_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Paths.get(configured)).filter(LocalPostgres::hasTools);
        }
        Path root = Paths.get("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin")).filter(LocalPostgres::hasTools)
                    .max(Comparator.comparingInt(LocalPostgres::majorVersion));
        }
    }

    private static boolean hasTools(Path directory) {
        return Files.isExecutable(directory.resolve("initdb")) && Files.isExecutable(directory.resolve("pg_ctl"));
    }

    private static int majorVersion(Path binDirectory) {
        try {
            return Integer.parseInt(binDirectory.getParent().getFileName().toString());
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    private List<String> command(String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        return command;
    }

    /** Runs a command to its end; its output goes to a file, never a pipe a forked server could keep open. */
    private void run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("eventfold-postgres-command", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within 90 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + process.exitValue() + ":\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
