package io.eventfold.kafka;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) inside the test JVM, on a
 * random loopback port, with its data in a temporary folder removed on close. As a JUnit
 * extension it serves one test class: {@code @RegisterExtension static final EmbeddedKafka kafka = new EmbeddedKafka();}
 */
public final class EmbeddedKafka implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private final Map<String, Object> brokerConfig = new LinkedHashMap<>();
    private KafkaClusterTestKit cluster;

    public EmbeddedKafka() {
        // One node: every internal topic must fit on it.
        brokerConfig.put("offsets.topic.replication.factor", "1");
        brokerConfig.put("offsets.topic.num.partitions", "1");
        brokerConfig.put("transaction.state.log.replication.factor", "1");
        brokerConfig.put("transaction.state.log.min.isr", "1");
        brokerConfig.put("transaction.state.log.num.partitions", "1");
        brokerConfig.put("share.coordinator.state.topic.replication.factor", "1");
        brokerConfig.put("share.coordinator.state.topic.min.isr", "1");
        brokerConfig.put("group.initial.rebalance.delay.ms", "0");
        brokerConfig.put("auto.create.topics.enable", "false");
        // The test kit turns on unreleased features by default; behave like a released broker.
        brokerConfig.put("unstable.api.versions.enable", "false");
        brokerConfig.put("unstable.feature.versions.enable", "false");
    }

    public synchronized EmbeddedKafka start() throws Exception {
        if (cluster != null) {
            throw new IllegalStateException("already started");
        }
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        brokerConfig.forEach(builder::setConfigProp);
        KafkaClusterTestKit started = builder.build();
        try {
            started.format();
            started.startup();
            started.waitForReadyBrokers();
        } catch (Exception e) {
            try {
                started.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        cluster = started;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public String bootstrapServers() {
        if (cluster == null) {
            throw new IllegalStateException("not started");
        }
        return cluster.bootstrapServers();
    }

    @Override
    public synchronized void close() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the embedded broker", e);
            } finally {
                cluster = null;
            }
        }
    }
}
