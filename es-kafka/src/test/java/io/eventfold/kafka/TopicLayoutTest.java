package io.eventfold.kafka;

import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import io.eventfold.core.ProcessManager;
import io.eventfold.core.Reaction;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import java.time.Duration;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** What verify makes of the topics a cluster describes, without a cluster. */
class TopicLayoutTest {

    private static final String RF_1 = "topic 'acc-%s' has replication.factor=1, expected at least 3: "
            + "one lost broker could lose acknowledged records";
    private static final String INSYNC_1 = "topic 'acc-%s' has min.insync.replicas=1, expected at least 2: "
            + "a write acknowledged by one replica is lost with its broker";

    private final AggregateType<?, ?, ?> accounts = EventSourcedTopologyTest.accounts("acc");
    private final List<String> warnings = new ArrayList<>();

    private TopicLayout layout(ReplicationPolicy policy) {
        return TopicLayout.of(accounts).withReplicationPolicy(policy).withWarnings(warnings::add);
    }

    /** Every topic of the type with two partitions of {@code replicas} replicas each. */
    private Map<String, TopicDescription> described(int replicas) {
        List<Node> nodes = IntStream.range(0, replicas).mapToObj(id -> new Node(id, "broker-" + id, 9092)).toList();
        Map<String, TopicDescription> descriptions = new LinkedHashMap<>();
        for (String topic : accounts.topics().all()) {
            descriptions.put(topic, new TopicDescription(topic, false, List.of(
                    new TopicPartitionInfo(0, nodes.get(0), nodes, nodes),
                    new TopicPartitionInfo(1, nodes.get(0), nodes, nodes))));
        }
        return descriptions;
    }

    /** Each topic's configuration as TopicLayout.create gives it with that many replicas. */
    private Map<String, Map<String, String>> created(int replicas) {
        Map<String, Map<String, String>> configs = new HashMap<>();
        for (TopicRole role : TopicRole.ofAggregateType()) {
            configs.put(role.topic(accounts.topics()), new HashMap<>(role.configs((short) replicas)));
        }
        return configs;
    }

    @Test
    void shouldAcceptTopicsAsCreatedForProductionUnderEveryPolicy() {
        for (ReplicationPolicy policy : ReplicationPolicy.values()) {
            assertThatNoException().as(policy.name()).isThrownBy(() -> layout(policy).verify(described(3), created(3), 3));
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void shouldRefuseACompactedCommandsTopic() {
        Map<String, Map<String, String>> configs = created(3);
        configs.get("acc-commands").put("cleanup.policy", "compact");

        assertThatThrownBy(() -> layout(ReplicationPolicy.WARN).verify(described(3), configs, 3))
                .isInstanceOfSatisfying(TopicLayoutException.class, e -> assertThat(e.problems()).containsExactly(
                        "topic 'acc-commands' has cleanup.policy=compact, expected delete: "
                                + "compaction keeps only the latest command of an aggregate and drops those not handled yet"));
    }

    @Test
    void shouldRefuseACompactedCommandResultsTopic() {
        Map<String, Map<String, String>> configs = created(3);
        configs.get("acc-command-results").put("cleanup.policy", "compact");

        assertThatThrownBy(() -> layout(ReplicationPolicy.WARN).verify(described(3), configs, 3))
                .isInstanceOfSatisfying(TopicLayoutException.class, e -> assertThat(e.problems()).containsExactly(
                        "topic 'acc-command-results' has cleanup.policy=compact, expected delete: "
                                + "compaction keeps only the latest result of an aggregate and drops answers gateways have not read"));
    }

    @Test
    void shouldRefuseSnapshotsThatAreAlsoDeletedByTime() {
        Map<String, Map<String, String>> configs = created(3);
        configs.get("acc-snapshots").put("cleanup.policy", "compact,delete");

        assertThatThrownBy(() -> layout(ReplicationPolicy.WARN).verify(described(3), configs, 3))
                .isInstanceOfSatisfying(TopicLayoutException.class, e -> assertThat(e.problems()).containsExactly(
                        "topic 'acc-snapshots' has cleanup.policy=compact,delete, expected compact: "
                                + "compaction keeps each aggregate's latest snapshot, deletion would remove those of idle aggregates"));
    }

    @Test
    void shouldRefuseSingleReplicasUnderRefuseNamingEveryTopicAndSetting() {
        assertThatThrownBy(() -> layout(ReplicationPolicy.REFUSE).verify(described(1), created(1), 1))
                .isInstanceOfSatisfying(TopicLayoutException.class, e -> assertThat(e.problems()).containsExactly(
                        RF_1.formatted("commands"), INSYNC_1.formatted("commands"),
                        RF_1.formatted("events"), INSYNC_1.formatted("events"),
                        RF_1.formatted("snapshots"), INSYNC_1.formatted("snapshots"),
                        RF_1.formatted("command-results"), INSYNC_1.formatted("command-results"),
                        RF_1.formatted("commands-dlq"), INSYNC_1.formatted("commands-dlq"),
                        RF_1.formatted("replies"), INSYNC_1.formatted("replies")));
        assertThat(warnings).isEmpty();
    }

    @Test
    void shouldRefuseTooFewInsyncReplicasUnderRefuse() {
        Map<String, Map<String, String>> configs = created(3);
        configs.get("acc-events").put("min.insync.replicas", "1");

        assertThatThrownBy(() -> layout(ReplicationPolicy.REFUSE).verify(described(3), configs, 3))
                .isInstanceOfSatisfying(TopicLayoutException.class, e -> assertThat(e.problems())
                        .containsExactly(INSYNC_1.formatted("events")));
    }

    @Test
    void shouldOnlyWarnOfSingleReplicasUnderWarn() {
        layout(ReplicationPolicy.WARN).verify(described(1), created(1), 5);

        assertThat(warnings).singleElement().asString()
                .startsWith("the topics are replicated below production needs (docs/reliability.md), "
                        + "accepted by ReplicationPolicy.WARN on a cluster of 5 brokers:\n  - ")
                .contains(RF_1.formatted("events"), INSYNC_1.formatted("events"), RF_1.formatted("commands-dlq"));
    }

    /** The default: a single-broker development cluster starts, a production-sized one is held to production settings. */
    @Test
    void shouldRefuseByDefaultOnlyWhereTheClusterCouldReplicateThrice() {
        TopicLayout byDefault = TopicLayout.of(accounts).withWarnings(warnings::add);
        assertThat(byDefault.replicationPolicy()).isEqualTo(ReplicationPolicy.REFUSE_IF_ATTAINABLE);

        byDefault.verify(described(1), created(1), 1);
        assertThat(warnings).singleElement().asString()
                .contains("accepted by ReplicationPolicy.REFUSE_IF_ATTAINABLE on a cluster of 1 broker", RF_1.formatted("snapshots"));

        assertThatThrownBy(() -> byDefault.verify(described(1), created(1), 3))
                .isInstanceOfSatisfying(TopicLayoutException.class, e -> assertThat(e.problems())
                        .contains(RF_1.formatted("events"), INSYNC_1.formatted("events")));
    }

    @Test
    void shouldRefuseOtherProblemsUnderWarnAndStillWarnOfReplication() {
        Map<String, Map<String, String>> configs = created(1);
        configs.get("acc-events").put("retention.ms", "604800000");

        assertThatThrownBy(() -> layout(ReplicationPolicy.WARN).verify(described(1), configs, 1))
                .isInstanceOfSatisfying(TopicLayoutException.class, e -> assertThat(e.problems()).containsExactly(
                        "topic 'acc-events' has retention.ms=604800000, expected -1: events must be kept forever"));
        assertThat(warnings).singleElement().asString().contains(RF_1.formatted("events"));
    }

    @Test
    void shouldCountTheLeastReplicatedPartition() {
        Map<String, TopicDescription> descriptions = described(3);
        Node one = new Node(0, "broker-0", 9092);
        descriptions.put("acc-events", new TopicDescription("acc-events", false, List.of(
                descriptions.get("acc-events").partitions().get(0),
                new TopicPartitionInfo(1, one, List.of(one), List.of(one)))));

        assertThatThrownBy(() -> layout(ReplicationPolicy.REFUSE).verify(descriptions, created(3), 3))
                .isInstanceOfSatisfying(TopicLayoutException.class, e -> assertThat(e.problems())
                        .containsExactly(RF_1.formatted("events")));
    }

    @Test
    void shouldCreateTopicsWithTheInsyncReplicasVerifyExpects() {
        assertThat(TopicLayout.of(accounts).newTopics(6, (short) 3))
                .allSatisfy(topic -> assertThat(topic.configs()).containsEntry("min.insync.replicas", "2"));
        assertThat(TopicLayout.of(accounts).newTopics(6, (short) -1))
                .allSatisfy(topic -> assertThat(topic.configs()).doesNotContainKey("min.insync.replicas"));
    }

    @Test
    void shouldPlanAndCheckTheTopicsOfAProcessManagerWithItsSourceTypesPartitions() {
        AggregateType<?, ?, ?> savings = EventSourcedTopologyTest.accounts("sav");
        ProcessManagerType<?, ?, ?> transfers = transfers(savings);
        TopicLayout layout = TopicLayout.of(accounts, savings, transfers).withReplicationPolicy(ReplicationPolicy.WARN)
                .withWarnings(warnings::add);

        assertThat(layout.newTopics(2, (short) 3)).extracting(NewTopic::name)
                .contains("transfers-replies", "transfers-dlq").hasSize(14);
        assertThat(layout.newTopics(2, (short) 3)).filteredOn(topic -> topic.name().equals("transfers-replies"))
                .singleElement().satisfies(topic -> assertThat(topic.configs()).containsEntry("retention.ms",
                        Long.toString(Duration.ofDays(7).toMillis())).containsEntry("cleanup.policy", "delete"));

        Map<String, TopicDescription> descriptions = new LinkedHashMap<>(described(3));
        Map<String, Map<String, String>> configs = new HashMap<>(created(3));
        List<Node> nodes = IntStream.range(0, 3).mapToObj(id -> new Node(id, "broker-" + id, 9092)).toList();
        for (String topic : savings.topics().all()) {
            descriptions.put(topic, new TopicDescription(topic, false, List.of(new TopicPartitionInfo(0, nodes.get(0), nodes, nodes))));
        }
        for (TopicRole role : TopicRole.ofAggregateType()) {
            configs.put(role.topic(savings.topics()), new HashMap<>(role.configs((short) 3)));
        }
        for (TopicRole role : TopicRole.ofProcessManager()) {
            configs.put(role.topic(transfers.topics()), new HashMap<>(role.configs((short) 3)));
        }
        // The replies topic has one partition; its source type's topics have two.
        for (String topic : transfers.topics().all()) {
            descriptions.put(topic, new TopicDescription(topic, false, List.of(new TopicPartitionInfo(0, nodes.get(0), nodes, nodes))));
        }

        assertThatThrownBy(() -> layout.verify(descriptions, configs, 3)).isInstanceOf(TopicLayoutException.class)
                .hasMessageContaining("the topics of aggregate type 'acc' must have the same number of partitions, but "
                        + "{acc-commands=2, acc-events=2, acc-snapshots=2, acc-command-results=2, transfers-replies=1}");
    }

    @Test
    void shouldRefuseAProcessManagerWhoseTypesAreNotInTheLayout() {
        AggregateType<?, ?, ?> savings = EventSourcedTopologyTest.accounts("sav");
        ProcessManagerType<?, ?, ?> transfers = transfers(savings);

        assertThatIllegalArgumentException().isThrownBy(() -> TopicLayout.of(accounts, transfers))
                .withMessage("the target type 'sav' of process manager 'transfers' is not a part of this topology:"
                        + " add that AggregateType instance too");
        assertThatIllegalArgumentException().isThrownBy(() -> EventSourcedTopology.of(accounts, savings, transfers,
                        EventSourcedTopologyTest.accounts("transfers")))
                .withMessage("an aggregate type and a process manager are both named 'transfers'");
    }

    /** A process manager from the accounts of this layout to {@code target}, that sends nothing. */
    @SuppressWarnings("unchecked")
    private ProcessManagerType<?, ?, ?> transfers(AggregateType<?, ?, ?> target) {
        return ProcessManagerType.builder("transfers", ProcessManager.<AccountEvent, String, AccountCommand>of("",
                        (state, event) -> Reaction.of(state)))
                .from((AggregateType<?, AccountEvent, ?>) accounts)
                .to((AggregateType<AccountCommand, ?, ?>) target).state(String.class).build();
    }
}
