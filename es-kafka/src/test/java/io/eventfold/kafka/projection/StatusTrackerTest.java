package io.eventfold.kafka.projection;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class StatusTrackerTest {

    private final List<String> heard = new ArrayList<>();
    private final StatusTracker tracker = new StatusTracker("invoice-list", "host/1/abcd", List.of(
            new ProjectionListener() {
                @Override
                public void onStateChange(ProjectionStatus before, ProjectionStatus now) {
                    throw new IllegalStateException("a broken listener must not stop the others");
                }
            },
            new ProjectionListener() {
                @Override
                public void onStateChange(ProjectionStatus before, ProjectionStatus now) {
                    heard.add(before.state() + "->" + now.state());
                }

                @Override
                public void onFailure(ProjectionStatus status, Throwable error) {
                    heard.add("failure " + status.state() + " " + status.consecutiveFailures() + " " + error.getMessage());
                }
            }));

    @Test
    void shouldStartUnknown() {
        ProjectionStatus status = tracker.current();

        assertThat(status.state()).isEqualTo(ProjectionStatus.State.STARTING);
        assertThat(status.lag()).isEqualTo(-1);
        assertThat(status.live()).isEmpty();
        assertThat(status.lastError()).isEmpty();
        assertThat(status.instance()).isEqualTo("host/1/abcd");
    }

    @Test
    void shouldTellStateChangesAndFailuresOnceEach() {
        TopicPartition p0 = new TopicPartition("invoices-snapshots", 0);
        tracker.live(new Generation("invoice-list", 1, 1, Generation.State.LIVE, Instant.EPOCH));
        tracker.state(ProjectionStatus.State.CATCHING_UP);
        tracker.assigned(Set.of(p0));
        tracker.lag(12);
        tracker.lag(12);
        tracker.failed(ProjectionStatus.State.RETRYING, new IllegalStateException("database away"), java.util.Optional.empty());
        tracker.failed(ProjectionStatus.State.RETRYING, new IllegalStateException("database away"), java.util.Optional.empty());
        tracker.committed(5, 1, ProjectionStatus.State.CATCHING_UP);
        tracker.lag(0);
        tracker.state(ProjectionStatus.State.RUNNING);

        assertThat(heard).containsExactly("STARTING->CATCHING_UP", "CATCHING_UP->RETRYING", "failure RETRYING 1 database away",
                "failure RETRYING 2 database away", "RETRYING->CATCHING_UP", "CATCHING_UP->RUNNING");
        ProjectionStatus status = tracker.current();
        assertThat(status.applied()).isEqualTo(5);
        assertThat(status.skipped()).isEqualTo(1);
        assertThat(status.consecutiveFailures()).isZero();
        assertThat(status.lastCommit()).isPresent();
        assertThat(status.lastError()).get().extracting(ProjectionStatus.Failure::message).isEqualTo("database away");
        assertThat(status.assigned()).containsExactly(p0);
        assertThat(status.live()).get().extracting(Generation::number).isEqualTo(1);
    }

    @Test
    void shouldReportNoLagAndNoPartitionsOnceStopped() {
        tracker.assigned(Set.of(new TopicPartition("invoices-snapshots", 0)));
        tracker.lag(3);

        tracker.failed(ProjectionStatus.State.FAILED, new VersionGapException("invoice-list", 1, "INV-1", 2, 4, "t-0@9"),
                java.util.Optional.of("t-0@9"));

        ProjectionStatus status = tracker.current();
        assertThat(status.state()).isEqualTo(ProjectionStatus.State.FAILED);
        assertThat(status.lag()).isEqualTo(-1);
        assertThat(status.assigned()).isEmpty();
        assertThat(status.lastError()).get().satisfies(failure -> {
            assertThat(failure.type()).isEqualTo(VersionGapException.class.getName());
            assertThat(failure.coordinates()).hasValue("t-0@9");
        });
        assertThat(heard).containsExactly("STARTING->FAILED", "failure FAILED 1 " + status.lastError().get().message());
    }

    @Test
    void shouldDoubleTheBackoffUpToTheLongest() {
        RunnerSettings<String, Object> settings = new RunnerSettings<>("p", "t", VersionSequencer.Mode.EVENTS, null, null, null,
                new Properties(), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(10));

        assertThat(List.of(1, 2, 3, 5, 6, 7, 100)).map(settings::backoff).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }
}
