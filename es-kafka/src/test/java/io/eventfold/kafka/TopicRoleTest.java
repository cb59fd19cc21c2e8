package io.eventfold.kafka;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TopicRoleTest {

    private final TopicNames names = TopicNames.forType("invoice");

    @Test
    void shouldNameEveryTopicOfATypeOnce() {
        assertThat(Arrays.stream(TopicRole.values()).map(role -> role.topic(names)))
                .containsExactlyElementsOf(names.all());
    }

    @Test
    void shouldAcceptEachRoleAsItCreatesIt() {
        for (TopicRole role : TopicRole.values()) {
            assertThat(role.check(role.topic(names), role.configs())).as(role.name()).isEmpty();
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
                .containsExactly("topic 'invoice-snapshots' has cleanup.policy=delete, expected compact");
        assertThat(TopicRole.SNAPSHOTS.check("invoice-snapshots", Map.of("cleanup.policy", "delete, compact"))).isEmpty();
    }

    @Test
    void shouldReadAMissingSettingAsEmpty() {
        assertThat(TopicRole.SNAPSHOTS.check("invoice-snapshots", Map.of()))
                .containsExactly("topic 'invoice-snapshots' has cleanup.policy=, expected compact");
    }

    @Test
    void shouldCoPartitionEveryTopicButTheDeadLetters() {
        assertThat(Arrays.stream(TopicRole.values()).filter(role -> !role.coPartitioned()))
                .containsExactly(TopicRole.DEAD_LETTERS);
    }

    /** docs/topology.md repeats the policy for readers; this keeps its table true to the code. */
    @Test
    void shouldBeDescribedAsConfiguredInTheTopologyDocs() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "topology.md"));

        for (TopicRole role : TopicRole.values()) {
            String row = docs.lines().filter(line -> line.contains("| `" + role.name() + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError("docs/topology.md has no row for " + role));
            Map<String, String> configs = role.configs();
            assertThat(row).as(role.name()).contains("cleanup.policy=" + configs.get("cleanup.policy"));
            String retention = configs.get("retention.ms");
            if (retention != null && !retention.equals("-1")) {
                long days = Duration.ofMillis(Long.parseLong(retention)).toDays();
                assertThat(row).as(role.name()).contains("`retention.ms` " + days + (days == 1 ? " day" : " days"));
            } else if (retention != null) {
                assertThat(row).as(role.name()).contains("`retention.ms=-1`", "`retention.bytes=-1`");
            }
        }
    }
}
