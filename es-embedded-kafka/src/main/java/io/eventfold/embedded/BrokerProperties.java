package io.eventfold.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The configuration of a single node that is broker and controller at once. */
final class BrokerProperties {

    static final String CLIENT_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private BrokerProperties() {
    }

    /**
     * The node's properties: the listeners, the data directory, and one replica, one in-sync
     * replica and one partition for every internal topic, since there is no other node to hold
     * them. The overrides come last and win.
     */
    static Properties of(String host, int port, int controllerPort, int nodeId, Path dataDir,
                         Duration startupTimeout, Map<String, String> overrides) {
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
        // A consumer group or streams application starts at once instead of waiting for more members.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.streams.initial.rebalance.delay.ms", "0");
        // A typo in a topic name fails instead of creating a topic nobody reads.
        p.put("auto.create.topics.enable", "false");
        p.put("server.max.startup.time.ms", Long.toString(startupTimeout.toMillis()));

        p.putAll(overrides);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }
}
