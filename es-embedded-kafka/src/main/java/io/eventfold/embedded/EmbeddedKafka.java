package io.eventfold.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real, single-node Apache Kafka broker (KRaft combined mode: broker and controller in one
 * node) running inside the current JVM, for tests, demos and local development; not for
 * production clusters.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {   // temporary data, free port
 *     String bootstrap = kafka.bootstrapServers();                        // e.g. "localhost:41234"
 *     ...
 * }
 *
 * EmbeddedKafka kept = EmbeddedKafka.builder()
 *         .dataDir(Path.of("data/kafka"))      // kept across restarts
 *         .port(9092)
 *         .brokerProperty("log.retention.hours", "1")
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>With a {@linkplain Builder#dataDir data directory}, the first {@link #start()} formats it
 * (writes {@code meta.properties} with a fresh cluster id and the bootstrap metadata); later
 * starts, also from a new JVM, find {@code meta.properties} and use the directory as it is, so
 * topics, records, committed offsets and the cluster id survive restarts. Without one, the
 * broker keeps its data in a temporary directory that {@link #close()} deletes.
 *
 * <p>Settings are those of a single node: replication factor 1 and min ISR 1 for the internal
 * topics ({@code __consumer_offsets}, {@code __transaction_state}, {@code __share_group_state}),
 * no initial rebalance delay, and no automatic topic creation. Transactions and Kafka Streams
 * {@code exactly_once_v2} work out of the box.
 *
 * <p>Notes:
 * <ul>
 *   <li>Kafka treats some internal faults (for example a failed metadata log write) as fatal
 *       and halts the JVM through {@code org.apache.kafka.common.utils.Exit}, exactly as the
 *       standalone broker would.</li>
 *   <li>One broker per data directory; a second one on the same directory is turned away.</li>
 *   <li>Instances are not reusable: after {@link #close()} build a new one.</li>
 * </ul>
 *
 * @see EmbeddedKafkaExtension the broker of a JUnit 5 test class
 * @see EmbeddedKafkaMain the broker as its own process
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** How often a start on ports picked by the broker is tried when another process took one of them meanwhile. */
    private static final int BIND_ATTEMPTS = 3;

    private enum State { NEW, RUNNING, CLOSED }

    private final Path requestedDataDir;
    private final String host;
    private final int requestedPort;
    private final int requestedControllerPort;
    private final int nodeId;
    private final Duration startupTimeout;
    private final Map<String, String> overrides;

    private State state = State.NEW;
    private Path dataDir;
    private DataDirLock lock;
    private KafkaRaftServer server;
    private String bootstrapServers;
    private String clusterId;

    private EmbeddedKafka(Builder builder) {
        this.requestedDataDir = builder.dataDir == null ? null : builder.dataDir.toAbsolutePath().normalize();
        this.host = builder.host;
        this.requestedPort = builder.port;
        this.requestedControllerPort = builder.controllerPort;
        this.nodeId = builder.nodeId;
        this.startupTimeout = builder.startupTimeout;
        this.overrides = Map.copyOf(builder.overrides);
    }

    /**
     * Starts building a broker; without further settings it keeps its data in a temporary
     * directory and listens on a free port of {@code localhost}.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory if needed, starts the broker and returns once it accepts
     * requests (an Admin {@code describeCluster} call has succeeded).
     *
     * @return this broker
     * @throws IllegalStateException if already started or closed
     * @throws EmbeddedKafkaException if the broker could not be started within the timeout;
     *                                everything started so far is shut down again
     */
    public synchronized EmbeddedKafka start() {
        if (state != State.NEW) {
            throw new IllegalStateException("the embedded Kafka broker is " + state + "; build a new one");
        }
        long t0 = System.nanoTime();
        try {
            dataDir = requestedDataDir == null ? TempDirectory.create() : Files.createDirectories(requestedDataDir);
            lock = DataDirLock.acquire(dataDir);
            startServer();
            awaitReady();
            state = State.RUNNING;
            LOG.info("Kafka broker started at {} (cluster id {}, data {}) in {} ms",
                    bootstrapServers, clusterId, dataDir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            return this;
        } catch (Exception e) {
            state = State.CLOSED;
            shutdownQuietly();
            releaseResources();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new EmbeddedKafkaException("could not start the Kafka broker (data "
                    + (dataDir == null ? requestedDataDir : dataDir) + ")", e);
        }
    }

    private void startServer() throws Exception {
        for (int attempt = 1; ; attempt++) {
            int port = requestedPort == 0 ? FreePort.on(host) : requestedPort;
            int controllerPort = requestedControllerPort == 0 ? FreePort.on(host) : requestedControllerPort;
            KafkaConfig config = KafkaConfig.fromProps(
                    BrokerProperties.of(host, port, controllerPort, nodeId, dataDir, startupTimeout, overrides), false);
            clusterId = Storage.formatIfNeeded(dataDir, config, nodeId, BrokerProperties.CONTROLLER_LISTENER);
            bootstrapServers = host + ":" + port;
            server = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                // Blocks until the broker has caught up with the metadata log and is unfenced
                // (bounded by server.max.startup.time.ms). On failure Kafka shuts down only the
                // broker half, so shutdownQuietly() also stops the controller.
                server.startup();
                return;
            } catch (RuntimeException e) {
                shutdownQuietly();
                boolean portsPicked = requestedPort == 0 || requestedControllerPort == 0;
                if (attempt >= BIND_ATTEMPTS || !portsPicked || !causedByBind(e)) {
                    throw e;
                }
                LOG.info("a port picked for the broker was taken before it could bind it; trying other ports", e);
            }
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private void awaitReady() throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
        try (Admin admin = Admin.create(conf)) {
            int timeoutMs = (int) Math.min(Integer.MAX_VALUE, startupTimeout.toMillis());
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .nodes()
                    .get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Shuts the broker down (controlled shutdown: the broker first hands off its partitions and
     * deregisters with the controller, then the controller stops), waits until all of its
     * threads have finished and its files are closed, and deletes a temporary data directory.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (server != null) {
            long t0 = System.nanoTime();
            server.shutdown();
            server.awaitShutdown();
            server = null;
            LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
        releaseResources();
    }

    private void shutdownQuietly() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("error while shutting down the Kafka broker after a failed start", e);
        } finally {
            server = null;
        }
    }

    /** Releases the data directory's lock, then deletes the directory if it was a temporary one. */
    private void releaseResources() {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                LOG.warn("could not release the lock on {}", dataDir, e);
            }
            lock = null;
        }
        if (requestedDataDir == null && dataDir != null) {
            try {
                TempDirectory.delete(dataDir);
            } catch (IOException e) {
                LOG.warn("could not delete the temporary data directory {}", dataDir, e);
            }
        }
    }

    /**
     * The address clients use.
     *
     * @return {@code host:port}, with the actual port if port 0 was requested
     * @throws IllegalStateException if the broker is not running
     */
    public synchronized String bootstrapServers() {
        requireRunning();
        return bootstrapServers;
    }

    /**
     * The id of the cluster, written into the data directory when it was formatted.
     *
     * @return the cluster id, the same across restarts on the same data directory
     * @throws IllegalStateException if the broker is not running
     */
    public synchronized String clusterId() {
        requireRunning();
        return clusterId;
    }

    /**
     * Where the broker keeps its data.
     *
     * @return the absolute data directory; a temporary one once started (deleted by {@link #close()})
     * @throws IllegalStateException if no directory was given and the broker was never started
     */
    public synchronized Path dataDir() {
        if (requestedDataDir != null) {
            return requestedDataDir;
        }
        if (dataDir == null) {
            throw new IllegalStateException("the temporary data directory is created by start()");
        }
        return dataDir;
    }

    /**
     * Whether the broker serves requests.
     *
     * @return whether {@link #start()} has completed and {@link #close()} has not been called
     */
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    private void requireRunning() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("the embedded Kafka broker is not running (" + state + ")");
        }
    }

    @Override
    public synchronized String toString() {
        return "EmbeddedKafka[" + (state == State.RUNNING ? bootstrapServers : state)
                + ", data " + (dataDir != null ? dataDir : requestedDataDir != null ? requestedDataDir : "temporary") + "]";
    }

    /**
     * Builds an {@link EmbeddedKafka}.
     *
     * <pre>{@code
     * EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(Path.of("data/kafka")).port(9092).build();
     * }</pre>
     */
    public static final class Builder {
        private Path dataDir;
        private String host = "localhost";
        private int port = 0;
        private int controllerPort = 0;
        private int nodeId = 1;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Keeps the broker's data in this directory (created if missing), across restarts.
         * Without it the broker uses a temporary directory that {@link EmbeddedKafka#close()} deletes.
         *
         * @param dataDir the data directory, e.g. {@code Path.of("data/kafka")}
         * @return this builder
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir must not be null");
            return this;
        }

        /**
         * The host name or address to bind and advertise.
         *
         * @param host default {@code localhost}
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host must not be null");
            return this;
        }

        /**
         * The client port.
         *
         * @param port default 0: a free port, see {@link EmbeddedKafka#bootstrapServers()}
         * @return this builder
         */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /**
         * The controller (KRaft) port.
         *
         * @param controllerPort default 0: a free port on every start
         * @return this builder
         */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort);
            return this;
        }

        /**
         * The node id. It must stay the same for a data directory: it is written into
         * {@code meta.properties} when the directory is formatted.
         *
         * @param nodeId default 1
         * @return this builder
         */
        public Builder nodeId(int nodeId) {
            if (nodeId < 0) {
                throw new IllegalArgumentException("nodeId must be >= 0 but was " + nodeId);
            }
            this.nodeId = nodeId;
            return this;
        }

        /**
         * How long {@link EmbeddedKafka#start()} may take.
         *
         * @param startupTimeout default 60 seconds
         * @return this builder
         */
        public Builder startupTimeout(Duration startupTimeout) {
            Objects.requireNonNull(startupTimeout, "startupTimeout must not be null");
            if (startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive but was " + startupTimeout);
            }
            this.startupTimeout = startupTimeout;
            return this;
        }

        /**
         * Sets or overrides a broker property, e.g. {@code log.retention.hours}; it wins over
         * the single-node defaults.
         *
         * @param key the property name
         * @param value its value
         * @return this builder
         */
        public Builder brokerProperty(String key, String value) {
            overrides.put(Objects.requireNonNull(key, "key must not be null"),
                    Objects.requireNonNull(value, () -> "value of " + key + " must not be null"));
            return this;
        }

        /**
         * Sets or overrides several broker properties, see {@link #brokerProperty}.
         *
         * @param properties names and values
         * @return this builder
         */
        public Builder brokerProperties(Map<String, String> properties) {
            Objects.requireNonNull(properties, "properties must not be null").forEach(this::brokerProperty);
            return this;
        }

        /**
         * Builds the broker; nothing runs until {@link EmbeddedKafka#start()}.
         *
         * @return a new, not yet started broker
         */
        public EmbeddedKafka build() {
            return new EmbeddedKafka(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            return port;
        }
    }
}
