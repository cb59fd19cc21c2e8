package io.eventfold.testkit.internal;

import io.eventfold.embedded.EmbeddedKafka;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.TopicLayout;
import io.eventfold.kafka.TopologyPart;
import io.eventfold.kafka.client.CommandGateway;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The command topology of some aggregate types running on an embedded broker: the broker, the
 * types' topics, a started {@link KafkaStreams} and the gateways handed out so far. Started by
 * {@link #start}, taken down whole by {@link #close()}.
 *
 * <pre>{@code
 * try (BrokerTopology topology = BrokerTopology.start(List.of(invoices), 1, Map.of(), new Properties(),
 *         Duration.ofSeconds(10), Duration.ofSeconds(60))) {
 *     topology.gateway(invoices).send("INV-1", create, ExpectedVersion.noStream()).join();
 * }
 * }</pre>
 */
public final class BrokerTopology implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final List<TopologyPart> parts;
    private final Duration commandTimeout;
    private final Map<String, CommandGateway<?, ?, ?>> gateways = new ConcurrentHashMap<>();
    private EmbeddedKafka broker;
    private Path stateDir;
    private KafkaStreams streams;
    private String applicationId;

    private BrokerTopology(List<TopologyPart> parts, Duration commandTimeout) {
        this.parts = parts;
        this.commandTimeout = commandTimeout;
    }

    /**
     * Starts a broker, creates the types' topics, starts their topology and waits until it runs.
     * When a step fails, the steps before it are undone.
     */
    public static BrokerTopology start(List<TopologyPart> parts, int partitions, Map<String, String> brokerProperties,
                                       Properties streamsOverrides, Duration commandTimeout, Duration startupTimeout) {
        BrokerTopology topology = new BrokerTopology(List.copyOf(parts), commandTimeout);
        try {
            topology.startAll(partitions, brokerProperties, streamsOverrides, startupTimeout);
            return topology;
        } catch (RuntimeException | Error e) {
            try {
                topology.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void startAll(int partitions, Map<String, String> brokerProperties, Properties streamsOverrides,
                          Duration startupTimeout) {
        broker = EmbeddedKafka.builder().brokerProperties(brokerProperties).startupTimeout(startupTimeout).build().start();
        TopologyPart[] array = parts.toArray(new TopologyPart[0]);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicLayout.of(array).create(admin, partitions, (short) 1);
        }
        stateDir = createStateDir();
        Properties props = streamsProperties(streamsOverrides);
        applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        streams = EventfoldStreams.start(props, array);
        awaitRunning(startupTimeout);
    }

    private Properties streamsProperties(Properties overrides) {
        String defaultId = "eventfold-test-" + UUID.randomUUID().toString().substring(0, 8);
        Properties props = EventfoldConfig.streams(defaultId, broker.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // One instance: nowhere to keep a standby, and results should come back without a wait.
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.putAll(overrides);
        return props;
    }

    private void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                    || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN) {
                throw new IllegalStateException("the topology of " + names() + " (application " + applicationId
                        + ") stopped while starting: " + state);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the topology of " + names() + " (application " + applicationId
                        + ") is not RUNNING after " + timeout.toSeconds() + " s but " + state);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the topology of " + names() + " starts", e);
            }
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public String applicationId() {
        return applicationId;
    }

    /** The gateway of a running type, built on first use and closed with the topology. */
    @SuppressWarnings("unchecked")
    public <C, E, S> CommandGateway<C, E, S> gateway(AggregateType<C, E, S> type) {
        if (!parts.contains(type)) {
            throw new IllegalArgumentException("aggregate type " + type.name() + " is not running here; running are " + names());
        }
        return (CommandGateway<C, E, S>) gateways.computeIfAbsent(type.name(),
                name -> CommandGateway.builder(type, broker.bootstrapServers()).timeout(commandTimeout)
                        .resultsWithState(true).build());
    }

    private List<String> names() {
        return parts.stream().map(TopologyPart::name).toList();
    }

    /**
     * Closes the gateways, stops the topology and removes its local state, stops the broker
     * (deleting its data) and deletes the state directory. Goes on after a failing step and
     * throws the first failure at the end.
     */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (CommandGateway<?, ?, ?> gateway : gateways.values()) {
            run(gateway::close, failures);
        }
        gateways.clear();
        if (streams != null) {
            run(() -> {
                streams.close(CLOSE_TIMEOUT);
                streams.cleanUp();
            }, failures);
            streams = null;
        }
        if (broker != null) {
            run(broker::close, failures);
            broker = null;
        }
        if (stateDir != null) {
            run(() -> deleteRecursively(stateDir), failures);
            stateDir = null;
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void run(Runnable step, List<RuntimeException> failures) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private static Path createStateDir() {
        try {
            return Files.createTempDirectory("eventfold-kafka-state-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory", e);
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
