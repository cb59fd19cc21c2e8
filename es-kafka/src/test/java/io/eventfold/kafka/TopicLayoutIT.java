package io.eventfold.kafka;

import io.eventfold.embedded.EmbeddedKafkaExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Creating and verifying topics on a real single-broker cluster: every role's policy and the replication policy. */
class TopicLayoutIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    private final List<String> warnings = new ArrayList<>();

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    @Test
    void shouldRefuseEveryTopicWhoseCleanupPolicyLosesRecords() throws Exception {
        AggregateType<?, ?, ?> type = EventSourcedTopologyTest.accounts("lossy");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(
                    new NewTopic("lossy-commands", 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic("lossy-events", 1, (short) 1).configs(TopicRole.EVENTS.configs()),
                    new NewTopic("lossy-snapshots", 1, (short) 1).configs(Map.of("cleanup.policy", "compact,delete")),
                    new NewTopic("lossy-command-results", 1, (short) 1).configs(Map.of("cleanup.policy", "delete,compact")),
                    new NewTopic("lossy-commands-dlq", 1, (short) 1),
                    new NewTopic("lossy-replies", 1, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
            Cluster.awaitTopicMetadata(admin, Map.of("lossy-commands", 1, "lossy-events", 1, "lossy-snapshots", 1,
                    "lossy-command-results", 1, "lossy-commands-dlq", 1, "lossy-replies", 1));

            assertThatThrownBy(() -> TopicLayout.of(type).withReplicationPolicy(ReplicationPolicy.WARN).verify(admin))
                    .isInstanceOfSatisfying(TopicLayoutException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                            "topic 'lossy-commands' has cleanup.policy=compact, expected delete: "
                                    + "compaction keeps only the latest command of an aggregate and drops those not handled yet",
                            "topic 'lossy-snapshots' has cleanup.policy=compact,delete, expected compact: compaction keeps "
                                    + "each aggregate's latest snapshot, deletion would remove those of idle aggregates",
                            "topic 'lossy-command-results' has cleanup.policy=delete,compact, expected delete: compaction keeps "
                                    + "only the latest result of an aggregate and drops answers gateways have not read",
                            "topic 'lossy-replies' has cleanup.policy=compact, expected delete: compaction keeps "
                                    + "only the latest reply of an aggregate and drops replies gateways have not read"));
        }
    }

    /** One broker: replication factor 1 is all there is, so the default warns and starts. */
    @Test
    void shouldWarnOfSingleReplicasByDefaultAndRefuseThemUnderRefuse() {
        AggregateType<?, ?, ?> type = EventSourcedTopologyTest.accounts("single");
        try (Admin admin = admin()) {
            TopicLayout.of(type).withWarnings(warnings::add).create(admin, 2, (short) 1);
            assertThat(warnings).singleElement().asString().contains(
                    "accepted by ReplicationPolicy.REFUSE_IF_ATTAINABLE on a cluster of 1 broker",
                    "topic 'single-events' has replication.factor=1, expected at least 3",
                    "topic 'single-events' has min.insync.replicas=1, expected at least 2");

            assertThatThrownBy(() -> TopicLayout.of(type).withReplicationPolicy(ReplicationPolicy.REFUSE).verify(admin))
                    .isInstanceOfSatisfying(TopicLayoutException.class, e -> assertThat(e.problems()).hasSize(12).contains(
                            "topic 'single-commands' has replication.factor=1, expected at least 3: "
                                    + "one lost broker could lose acknowledged records",
                            "topic 'single-command-results' has min.insync.replicas=1, expected at least 2: "
                                    + "a write acknowledged by one replica is lost with its broker"));

            warnings.clear();
            TopicLayout.of(type).withReplicationPolicy(ReplicationPolicy.WARN).withWarnings(warnings::add).verify(admin);
            assertThat(warnings).singleElement().asString().contains("accepted by ReplicationPolicy.WARN",
                    "topic 'single-snapshots' has replication.factor=1, expected at least 3");
        }
    }

    @Test
    void shouldStartOnlyUnderThePolicyTheApplicationChose(@TempDir Path stateDir) {
        AggregateType<?, ?, ?> type = Cluster.accountsWithTopics(kafka, "chosen", 1);

        assertThatThrownBy(() -> EventfoldStreams.start(Cluster.streamsProps(kafka, "chosen-app", stateDir), ReplicationPolicy.REFUSE, type))
                .isInstanceOf(TopicLayoutException.class)
                .hasMessageContaining("topic 'chosen-events' has replication.factor=1, expected at least 3");
        try (KafkaStreams streams = EventfoldStreams.start(Cluster.streamsProps(kafka, "chosen-app", stateDir), ReplicationPolicy.WARN, type)) {
            Cluster.awaitRunning(streams);
        }
    }

    /** Refused after creation, a topic's replication could not simply be fixed: nothing is created. */
    @Test
    void shouldCreateNothingTheReplicationPolicyWouldRefuse() throws Exception {
        AggregateType<?, ?, ?> type = EventSourcedTopologyTest.accounts("refused");
        try (Admin admin = admin()) {
            assertThatThrownBy(() -> TopicLayout.of(type).withReplicationPolicy(ReplicationPolicy.REFUSE).create(admin, 2, (short) 1))
                    .isInstanceOfSatisfying(TopicLayoutException.class, e -> assertThat(e.problems()).containsExactly(
                            "cannot create [refused-commands, refused-events, refused-snapshots, refused-command-results, "
                                    + "refused-commands-dlq, refused-replies] with replication.factor=1, expected at least 3 "
                                    + "(ReplicationPolicy.REFUSE, a cluster of 1 broker); nothing was created"));

            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).doesNotContainAnyElementsOf(type.topics().all());
        }
    }

    /** With the broker's default replication factor the broker's min.insync.replicas applies, and is checked. */
    @Test
    void shouldCheckTopicsCreatedWithTheBrokerDefaults() {
        AggregateType<?, ?, ?> type = EventSourcedTopologyTest.accounts("defaults");
        try (Admin admin = admin()) {
            TopicLayout.of(type).withWarnings(warnings::add).create(admin, 1, (short) -1);

            assertThat(warnings).singleElement().asString().contains(
                    "topic 'defaults-commands-dlq' has replication.factor=1, expected at least 3",
                    "topic 'defaults-commands-dlq' has min.insync.replicas=1, expected at least 2");
        }
    }
}
