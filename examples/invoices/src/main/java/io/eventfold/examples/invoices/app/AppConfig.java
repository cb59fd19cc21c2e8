package io.eventfold.examples.invoices.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the invoice service runs: read from environment variables, with defaults that work on
 * a laptop with nothing installed.
 *
 * @param bootstrapServers an external Kafka cluster; empty starts an embedded broker
 * @param kafkaPort the embedded broker's port; 0 picks a free one
 * @param dataDir where the embedded broker, the stores and the H2 database keep their files
 * @param httpPort the HTTP port; 0 picks a free one
 * @param jdbcUrl the read model's database; default an H2 file under {@code dataDir}
 * @param partitions partitions of the invoice and account topics when they are created
 * @param replicationFactor replicas of the invoice and account topics when they are created; -1 for the broker default
 * @param storePort the port other instances read this one's stores on; 0 picks a free one
 * @param advertisedHost the host name other instances reach this one at, with {@code storePort}
 */
public record AppConfig(Optional<String> bootstrapServers, int kafkaPort, Path dataDir, int httpPort, String jdbcUrl,
                        int partitions, short replicationFactor, int storePort, String advertisedHost) {

    /**
     * Reads the configuration from environment variables: {@code KAFKA_BOOTSTRAP_SERVERS},
     * {@code KAFKA_PORT} (9092), {@code EVENTFOLD_DATA_DIR} ({@code ./data}), {@code HTTP_PORT}
     * (8080), {@code JDBC_URL}, {@code TOPIC_PARTITIONS} (3), {@code TOPIC_REPLICATION_FACTOR}
     * (1 embedded, -1 external), {@code STORE_PORT} (0: a free port), {@code ADVERTISED_HOST} ({@code localhost}).
     *
     * @param env the environment
     * @return the configuration
     */
    public static AppConfig fromEnvironment(Map<String, String> env) {
        Optional<String> bootstrap = Optional.ofNullable(env.get("KAFKA_BOOTSTRAP_SERVERS")).filter(value -> !value.isBlank());
        Path dataDir = Path.of(env.getOrDefault("EVENTFOLD_DATA_DIR", "data")).toAbsolutePath();
        return new AppConfig(
                bootstrap,
                Integer.parseInt(env.getOrDefault("KAFKA_PORT", "9092")),
                dataDir,
                Integer.parseInt(env.getOrDefault("HTTP_PORT", "8080")),
                env.getOrDefault("JDBC_URL", defaultJdbcUrl(dataDir)),
                Integer.parseInt(env.getOrDefault("TOPIC_PARTITIONS", "3")),
                Short.parseShort(env.getOrDefault("TOPIC_REPLICATION_FACTOR", bootstrap.isPresent() ? "-1" : "1")),
                Integer.parseInt(env.getOrDefault("STORE_PORT", "0")),
                env.getOrDefault("ADVERTISED_HOST", "localhost"));
    }

    /**
     * A configuration for tests: embedded broker and HTTP server on free ports, everything under {@code dataDir}.
     *
     * @param dataDir a fresh directory
     * @return the configuration
     */
    public static AppConfig forTests(Path dataDir) {
        return new AppConfig(Optional.empty(), 0, dataDir, 0, defaultJdbcUrl(dataDir), 3, (short) 1, 0, "localhost");
    }

    private static String defaultJdbcUrl(Path dataDir) {
        // Keep the database open between connections: every projection batch and query opens one.
        return "jdbc:h2:file:" + dataDir.resolve("h2").resolve("invoices") + ";DB_CLOSE_DELAY=-1";
    }
}
