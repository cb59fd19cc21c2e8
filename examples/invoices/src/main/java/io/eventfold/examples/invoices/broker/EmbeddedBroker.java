package io.eventfold.examples.invoices.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Apache Kafka broker (KRaft combined mode: broker and controller in one
 * node) running inside the current JVM. Intended for demos and local development, not for
 * production clusters.
 *
 * <p>Data is kept in the directory given to {@link #builder(Path)}. The first {@link #start()}
 * formats that directory (writes {@code meta.properties} with a fresh cluster id and the
 * bootstrap metadata); later starts, also from a new JVM, find {@code meta.properties} and
 * reuse the directory as it is, so topics, records, committed offsets and the cluster id
 * survive restarts.
 *
 * <p>Settings are those of a single node: replication factor 1 and min ISR 1 for the internal
 * topics ({@code __consumer_offsets}, {@code __transaction_state}, {@code __share_group_state}),
 * no initial rebalance delay, and no automatic topic creation. Transactions and Kafka Streams
 * {@code exactly_once_v2} work out of the box.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.builder(Path.of("data/kafka"))
 *         .port(9092)               // 0 = pick a free port
 *         .build()) {
 *     broker.start();
 *     String bootstrap = broker.bootstrapServers(); // "localhost:9092"
 *     ...
 * }
 * }</pre>
 *
 * <p>Notes:
 * <ul>
 *   <li>Kafka treats some internal faults (for example a failed metadata log write) as fatal
 *       and halts the JVM through {@code org.apache.kafka.common.utils.Exit}, exactly as the
 *       standalone broker would.</li>
 *   <li>One instance per data directory; Kafka locks the directory while running.</li>
 *   <li>Instances are not reusable: after {@link #close()} create a new one.</li>
 * </ul>
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private static final String CLIENT_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";

    private enum State { NEW, RUNNING, CLOSED }

    private final Path dataDir;
    private final String host;
    private final int requestedPort;
    private final int requestedControllerPort;
    private final int nodeId;
    private final Duration startupTimeout;
    private final Map<String, String> overrides;

    private State state = State.NEW;
    private FileChannel lockChannel;
    private FileLock lock;
    private KafkaRaftServer server;
    private String bootstrapServers;
    private String clusterId;

    private EmbeddedBroker(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.host = b.host;
        this.requestedPort = b.port;
        this.requestedControllerPort = b.controllerPort;
        this.nodeId = b.nodeId;
        this.startupTimeout = b.startupTimeout;
        this.overrides = Map.copyOf(b.overrides);
    }

    /**
     * Starts building a broker that keeps its data in {@code dataDir} (created if missing).
     *
     * @param dataDir the data directory, e.g. {@code Path.of("data/kafka")}
     * @return a builder with defaults {@code localhost:9092}, a free controller port and node id 1
     */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /**
     * Formats the data directory if needed, starts the broker and returns once it accepts
     * requests (an Admin {@code describeCluster} call has succeeded).
     *
     * @return this broker
     * @throws IllegalStateException if already started or closed
     * @throws EmbeddedBrokerException if the broker could not be started within the timeout;
     *                                 everything started so far is shut down again
     */
    public synchronized EmbeddedBroker start() {
        if (state != State.NEW) {
            throw new IllegalStateException("EmbeddedBroker is " + state + "; create a new instance");
        }
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            lockDataDir();
            int port = requestedPort == 0 ? freePort(host) : requestedPort;
            int controllerPort = requestedControllerPort == 0 ? freePort(host) : requestedControllerPort;
            KafkaConfig config = KafkaConfig.fromProps(brokerProperties(port, controllerPort), false);

            clusterId = formatIfNeeded(config);
            bootstrapServers = host + ":" + port;

            server = new KafkaRaftServer(config, Time.SYSTEM);
            // Blocks until the broker has caught up with the metadata log and is unfenced
            // (bounded by server.max.startup.time.ms). On failure only the broker half is
            // shut down by Kafka, so shutdown() below also stops the controller.
            server.startup();
            awaitReady();
            state = State.RUNNING;
            LOG.info("Kafka broker started at {} (cluster id {}, data {}) in {} ms",
                    bootstrapServers, clusterId, dataDir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            return this;
        } catch (Exception e) {
            state = State.CLOSED;
            shutdownQuietly();
            unlockDataDir();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new EmbeddedBrokerException("Could not start Kafka broker (data " + dataDir + ")", e);
        }
    }

    /**
     * Shuts the broker down (controlled shutdown: the broker first hands off its partitions and
     * deregisters with the controller, then the controller stops) and waits until all of its
     * threads have finished and files are closed. Idempotent.
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
        unlockDataDir();
    }

    /**
     * Takes the data directory before Kafka touches it. Kafka locks its log directory only once
     * the controller half already runs on it; a second process on the same directory must be
     * turned away before that.
     */
    private void lockDataDir() throws IOException {
        lockChannel = FileChannel.open(dataDir.resolve("eventfold-embedded.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            lockChannel = null;
            throw new IOException("another process runs a broker on " + dataDir
                    + ": stop it, or give this one another data directory (EVENTFOLD_DATA_DIR)");
        }
    }

    private void unlockDataDir() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.warn("could not release the lock on {}", dataDir, e);
        } finally {
            lock = null;
            lockChannel = null;
        }
    }

    /**
     * @return the address clients use, {@code host:port}, with the actual port if port 0 was
     *         requested
     * @throws IllegalStateException if the broker is not running
     */
    public synchronized String bootstrapServers() {
        requireRunning();
        return bootstrapServers;
    }

    /**
     * @return the cluster id, stable across restarts on the same data directory
     * @throws IllegalStateException if the broker is not running
     */
    public synchronized String clusterId() {
        requireRunning();
        return clusterId;
    }

    /** @return the absolute data directory */
    public Path dataDir() {
        return dataDir;
    }

    /** @return whether {@link #start()} has completed and {@link #close()} has not been called */
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    // ------------------------------------------------------------------------------------------

    private Properties brokerProperties(int port, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        // Static quorum: the controller address comes from the config on every start and is
        // not written into the data directory, so the controller port may change between runs.
        p.put("controller.quorum.voters", nodeId + "@" + host + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", CLIENT_LISTENER + "://" + host + ":" + port + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + host + ":" + port);
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("listener.security.protocol.map",
                CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        p.put("metadata.log.dir", dataDir.toString());

        // single node
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.streams.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("server.max.startup.time.ms", Long.toString(startupTimeout.toMillis()));

        p.putAll(overrides);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    /**
     * Formats the data directory when it has no {@code meta.properties} yet, like
     * {@code kafka-storage.sh format --cluster-id <new id>}; otherwise leaves it alone.
     *
     * @return the cluster id stored in {@code meta.properties}
     */
    private String formatIfNeeded(KafkaConfig config) throws Exception {
        Path metaProperties = dataDir.resolve(META_PROPERTIES);
        if (!Files.exists(metaProperties)) {
            String newClusterId = Uuid.randomUuid().toString();
            LOG.info("Formatting {} for new cluster {}", dataDir, newClusterId);
            new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(nodeId)
                    .setClusterId(newClusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setHasDynamicQuorum(false) // static controller.quorum.voters
                    .addDirectory(dataDir.toString())
                    .run(); // release version: latest production metadata.version
        }
        return readClusterId(metaProperties);
    }

    private static String readClusterId(Path metaProperties) throws IOException {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(metaProperties)) {
            meta.load(in);
        }
        String id = meta.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new IOException(metaProperties + " has no cluster.id");
        }
        return id;
    }

    private void awaitReady() throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "embedded-broker-readiness");
        try (Admin admin = Admin.create(conf)) {
            int timeoutMs = (int) Math.min(Integer.MAX_VALUE, startupTimeout.toMillis());
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .nodes()
                    .get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void shutdownQuietly() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Error while shutting down Kafka broker after failed start", e);
        } finally {
            server = null;
        }
    }

    private void requireRunning() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("EmbeddedBroker is not running (" + state + ")");
        }
    }

    /**
     * Asks the OS for a free port. The port is released before Kafka binds it, so another
     * process could in theory take it in between; acceptable for a demo.
     */
    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + host, e);
        }
    }

    /** Thrown when the broker cannot be started. */
    public static final class EmbeddedBrokerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EmbeddedBrokerException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Builder for {@link EmbeddedBroker}. */
    public static final class Builder {
        private final Path dataDir;
        private String host = "localhost";
        private int port = 9092;
        private int controllerPort = 0;
        private int nodeId = 1;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /** Host name or address to bind and advertise; default {@code localhost}. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Client port; default 9092; 0 picks a free port (see {@link EmbeddedBroker#bootstrapServers()}). */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** Controller (KRaft) port; default 0 = a free port on every start. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort);
            return this;
        }

        /**
         * Node id; default 1. Must stay the same for a data directory: it is written into
         * {@code meta.properties} when the directory is formatted.
         */
        public Builder nodeId(int nodeId) {
            if (nodeId < 0) {
                throw new IllegalArgumentException("nodeId must be >= 0");
            }
            this.nodeId = nodeId;
            return this;
        }

        /** How long {@link EmbeddedBroker#start()} may take; default 60 s. */
        public Builder startupTimeout(Duration startupTimeout) {
            if (startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive");
            }
            this.startupTimeout = startupTimeout;
            return this;
        }

        /** Sets or overrides any broker property (e.g. {@code log.retention.hours}). */
        public Builder brokerProperty(String key, String value) {
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** @return a new, not yet started broker */
        public EmbeddedBroker build() {
            return new EmbeddedBroker(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            return port;
        }
    }
}
