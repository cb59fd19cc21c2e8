package io.eventfold.kafka;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicRoleTest {

    private static final String SNAPSHOTS_WHY =
            "compaction keeps each aggregate's latest snapshot, deletion would remove those of idle aggregates";

    private final TopicNames names = TopicNames.forType("invoice");
    private final ProcessManagerTopics managerNames = ProcessManagerTopics.forManager("invoice-accounts");

    /** The topic of this role for the invoice type or the invoice-accounts manager. */
    private String topic(TopicRole role) {
        return TopicRole.ofAggregateType().contains(role) ? role.topic(names) : role.topic(managerNames);
    }

    @Test
    void shouldNameEveryTopicOfATypeOnce() {
        assertThat(TopicRole.ofAggregateType().stream().map(role -> role.topic(names)))
                .containsExactlyElementsOf(names.all());
        assertThat(TopicRole.ofProcessManager().stream().map(role -> role.topic(managerNames)))
                .containsExactlyElementsOf(managerNames.all());
        assertThat(TopicRole.ofAggregateType().size() + TopicRole.ofProcessManager().size()).isEqualTo(TopicRole.values().length);
    }

    @Test
    void shouldRefuseToNameATopicOfTheOtherKindOfPart() {
        assertThatThrownBy(() -> TopicRole.PROCESS_REPLIES.topic(names)).isInstanceOf(IllegalStateException.class)
                .hasMessage("PROCESS_REPLIES is a role of a process manager's topic");
        assertThatThrownBy(() -> TopicRole.EVENTS.topic(managerNames)).isInstanceOf(IllegalStateException.class)
                .hasMessage("EVENTS is a role of an aggregate type's topic");
    }

    @Test
    void shouldAcceptEachRoleAsItCreatesIt() {
        for (TopicRole role : TopicRole.values()) {
            assertThat(role.check(topic(role), role.configs())).as(role.name()).isEmpty();
        }
    }

    @Test
    void shouldRefuseEventsThatExpireOrAreCompacted() {
        Map<String, String> config = Map.of("cleanup.policy", "compact,delete", "retention.ms", "604800000",
                "retention.bytes", "-1");

        assertThat(TopicRole.EVENTS.check("invoice-events", config)).containsExactly(
                "topic 'invoice-events' has retention.ms=604800000, expected -1: events must be kept forever",
                "topic 'invoice-events' has cleanup.policy=compact,delete, expected delete: compaction would remove events");
    }

    @Test
    void shouldRefuseSnapshotsThatAreNotCompacted() {
        assertThat(TopicRole.SNAPSHOTS.check("invoice-snapshots", Map.of("cleanup.policy", "delete")))
                .containsExactly("topic 'invoice-snapshots' has cleanup.policy=delete, expected compact: " + SNAPSHOTS_WHY);
        assertThat(TopicRole.SNAPSHOTS.check("invoice-snapshots", Map.of("cleanup.policy", " compact"))).isEmpty();
    }

    /** Deleted by time as well, the snapshots of aggregates idle for the retention would vanish. */
    @Test
    void shouldRefuseSnapshotsThatAreAlsoDeleted() {
        assertThat(TopicRole.SNAPSHOTS.check("invoice-snapshots", Map.of("cleanup.policy", "compact,delete")))
                .containsExactly("topic 'invoice-snapshots' has cleanup.policy=compact,delete, expected compact: " + SNAPSHOTS_WHY);
        assertThat(TopicRole.SNAPSHOTS.check("invoice-snapshots", Map.of("cleanup.policy", "delete, compact")))
                .containsExactly("topic 'invoice-snapshots' has cleanup.policy=delete, compact, expected compact: " + SNAPSHOTS_WHY);
    }

    /** Compacted, the commands topic keeps one command per aggregate: the others are lost unhandled. */
    @Test
    void shouldRefuseACompactedCommandsTopic() {
        String why = "compaction keeps only the latest command of an aggregate and drops those not handled yet";
        assertThat(TopicRole.COMMANDS.check("invoice-commands", Map.of("cleanup.policy", "compact")))
                .containsExactly("topic 'invoice-commands' has cleanup.policy=compact, expected delete: " + why);
        assertThat(TopicRole.COMMANDS.check("invoice-commands", Map.of("cleanup.policy", "compact,delete")))
                .containsExactly("topic 'invoice-commands' has cleanup.policy=compact,delete, expected delete: " + why);
        assertThat(TopicRole.COMMANDS.check("invoice-commands", Map.of("cleanup.policy", "delete"))).isEmpty();
    }

    @Test
    void shouldRefuseACompactedCommandResultsTopic() {
        assertThat(TopicRole.COMMAND_RESULTS.check("invoice-command-results", Map.of("cleanup.policy", "delete,compact")))
                .containsExactly("topic 'invoice-command-results' has cleanup.policy=delete,compact, expected delete: "
                        + "compaction keeps only the latest result of an aggregate and drops answers gateways have not read");
    }

    @Test
    void shouldRefuseACompactedDeadLetterTopic() {
        assertThat(TopicRole.DEAD_LETTERS.check("invoice-commands-dlq", Map.of("cleanup.policy", "compact")))
                .containsExactly("topic 'invoice-commands-dlq' has cleanup.policy=compact, expected delete: "
                        + "compaction would drop dead letters that share a key");
    }

    @Test
    void shouldReadAMissingSettingAsEmpty() {
        assertThat(TopicRole.SNAPSHOTS.check("invoice-snapshots", Map.of()))
                .containsExactly("topic 'invoice-snapshots' has cleanup.policy=, expected compact: " + SNAPSHOTS_WHY);
    }

    @Test
    void shouldNameEachReplicationShortfallWithItsActualAndExpectedValue() {
        assertThat(TopicRole.EVENTS.checkReplication("invoice-events", 1, Map.of("min.insync.replicas", "1"))).containsExactly(
                "topic 'invoice-events' has replication.factor=1, expected at least 3: one lost broker could lose acknowledged records",
                "topic 'invoice-events' has min.insync.replicas=1, expected at least 2: "
                        + "a write acknowledged by one replica is lost with its broker");
        assertThat(TopicRole.COMMANDS.checkReplication("invoice-commands", 3, Map.of()))
                .containsExactly("topic 'invoice-commands' has min.insync.replicas=, expected at least 2: "
                        + "a write acknowledged by one replica is lost with its broker");
        assertThat(TopicRole.SNAPSHOTS.checkReplication("invoice-snapshots", 3, Map.of("min.insync.replicas", "2"))).isEmpty();
        assertThat(TopicRole.DEAD_LETTERS.checkReplication("invoice-commands-dlq", 5, Map.of("min.insync.replicas", "3"))).isEmpty();
    }

    /** What create gives a topic is what verify accepts, as far as the replicas allow. */
    @Test
    void shouldCreateTopicsThatWritesSurviveOneLostBrokerOn() {
        for (TopicRole role : TopicRole.values()) {
            assertThat(role.configs((short) 3)).as(role.name()).containsEntry("min.insync.replicas", "2")
                    .containsAllEntriesOf(role.configs());
            assertThat(role.checkReplication(topic(role), 3, role.configs((short) 3))).as(role.name()).isEmpty();
            assertThat(role.configs((short) 5)).as(role.name()).containsEntry("min.insync.replicas", "2");
            // Fewer replicas cannot meet production needs; writes still go on with one broker down.
            assertThat(role.configs((short) 2)).as(role.name()).containsEntry("min.insync.replicas", "1");
            assertThat(role.configs((short) 1)).as(role.name()).containsEntry("min.insync.replicas", "1");
            assertThat(role.configs((short) -1)).as(role.name()).isEqualTo(role.configs());
        }
    }

    @Test
    void shouldCoPartitionEveryTopicButTheDeadLettersAndReplies() {
        assertThat(Arrays.stream(TopicRole.values()).filter(role -> !role.coPartitioned()))
                .containsExactly(TopicRole.DEAD_LETTERS, TopicRole.REPLIES, TopicRole.PROCESS_DEAD_LETTERS);
    }

    /** docs/topology.md repeats the policy for readers; this keeps its table true to the code. */
    @Test
    void shouldBeDescribedAsConfiguredInTheTopologyDocs() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "topology.md"));

        for (TopicRole role : TopicRole.values()) {
            String row = docs.lines().filter(line -> line.contains("| `" + role.name() + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError("docs/topology.md has no row for " + role));
            Map<String, String> configs = role.configs();
            assertThat(row).as(role.name()).contains("cleanup.policy=" + configs.get("cleanup.policy"))
                    .endsWith("| ≥ " + role.replicationFactor() + " | ≥ " + role.minInsyncReplicas() + " |");
            String retention = configs.get("retention.ms");
            if (retention != null && !retention.equals("-1")) {
                Duration kept = Duration.ofMillis(Long.parseLong(retention));
                long days = kept.toDays();
                long hours = kept.toHours();
                assertThat(row).as(role.name()).contains(days > 0 ? "`retention.ms` " + days + (days == 1 ? " day" : " days")
                        : "`retention.ms` " + hours + (hours == 1 ? " hour" : " hours"));
            } else if (retention != null) {
                assertThat(row).as(role.name()).contains("`retention.ms=-1`", "`retention.bytes=-1`");
            }
        }
    }
}
