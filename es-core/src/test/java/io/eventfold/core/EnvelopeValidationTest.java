package io.eventfold.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeValidationTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    @Test
    void shouldNameTheFieldOfAnInvalidCommand() {
        ExpectedVersion any = ExpectedVersion.any();

        assertThatNullPointerException().isThrownBy(() -> new Command<>(null, "a", any, "p", Map.of()))
                .withMessage("commandId must not be null");
        assertThatIllegalArgumentException().isThrownBy(() -> new Command<>(" ", "a", any, "p", Map.of()))
                .withMessage("commandId must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> new Command<>("c", "", any, "p", Map.of()))
                .withMessage("aggregateId must not be blank");
        assertThatNullPointerException().isThrownBy(() -> new Command<>("c", "a", null, "p", Map.of()))
                .withMessage("expectedVersion must not be null");
        assertThatNullPointerException().isThrownBy(() -> new Command<>("c", "a", any, null, Map.of()))
                .withMessage("payload must not be null");
        Map<String, String> withNullValue = new HashMap<>();
        withNullValue.put("user", null);
        assertThatNullPointerException().isThrownBy(() -> new Command<>("c", "a", any, "p", withNullValue))
                .withMessage("metadata[user] must not be null");
    }

    @Test
    void shouldRefuseIdsThatCannotBecomeUtf8() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Command<>("c\uD800", "a", ExpectedVersion.any(), "p", Map.of()))
                .withMessage("commandId must be well-formed text but has an unpaired surrogate at index 1");
        assertThat(new Command<>("c\uD83D\uDE00", "a", ExpectedVersion.any(), "p", Map.of()).commandId()).hasSize(3);
    }

    @Test
    void shouldCopyCommandMetadataImmutably() {
        Map<String, String> metadata = new HashMap<>(Map.of("user", "alice"));

        Command<String> command = new Command<>("c", "a", ExpectedVersion.any(), "p", metadata);
        metadata.put("user", "mallory");

        assertThat(command.metadata()).containsExactly(Map.entry("user", "alice"));
        assertThatThrownBy(() -> command.metadata().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new Command<>("c", "a", ExpectedVersion.any(), "p", null).metadata()).isEmpty();
    }

    @Test
    void shouldBuildCommandsWithFreshIdsAndCopyThemWithChanges() {
        Command<String> first = Command.of("a", "p");
        Command<String> second = Command.of("a", "p");

        assertThat(first.commandId()).isNotEqualTo(second.commandId());
        assertThat(first.expectedVersion()).isEqualTo(ExpectedVersion.any());
        assertThat(first.withCommandId("c1").withExpectedVersion(ExpectedVersion.exactly(2)).withMetadata(Map.of("k", "v")))
                .isEqualTo(new Command<>("c1", "a", ExpectedVersion.exactly(2), "p", Map.of("k", "v")));
    }

    @Test
    void shouldNameTheFieldOfAnInvalidEvent() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Event<>("a", 0, "c", NOW, "p"))
                .withMessage("version must be >= 1 but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new Event<>("\t", 1, "c", NOW, "p"))
                .withMessage("aggregateId must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> new Event<>("a", 1, "", NOW, "p"))
                .withMessage("commandId must not be blank");
        assertThatNullPointerException().isThrownBy(() -> new Event<>("a", 1, "c", null, "p"))
                .withMessage("timestamp must not be null");
        assertThatNullPointerException().isThrownBy(() -> new Event<>("a", 1, "c", NOW, null))
                .withMessage("payload must not be null");
    }

    @Test
    void shouldNameTheFieldOfAnInvalidSnapshot() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Snapshot<>("a", -1, "s"))
                .withMessage("version must be >= 0 but was -1");
        assertThatNullPointerException().isThrownBy(() -> new Snapshot<>("a", 0, null))
                .withMessage("state must not be null");
        assertThat(Snapshot.initial("a", Aggregate.of("zero", (c, s) -> Decision.accept(), (s, e) -> s)))
                .isEqualTo(new Snapshot<>("a", 0, "zero"));
    }

    @Test
    void shouldNameTheFieldOfAnInvalidResult() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CommandResult.Failed<>("c", "a", 0, " ", "m"))
                .withMessage("errorType must not be blank");
        assertThatNullPointerException().isThrownBy(() -> new CommandResult.Rejected<>("c", "a", 0, null))
                .withMessage("rejection must not be null");
        assertThatNullPointerException().isThrownBy(() -> new CommandResult.Conflict<>("c", "a", 0, null))
                .withMessage("expected must not be null");
        assertThatIllegalArgumentException().isThrownBy(() -> new CommandResult.Accepted<>("c", "a", -1, java.util.List.of(), "s"))
                .withMessage("version must be >= 0 but was -1");
    }

    @Test
    void shouldValidateRejectionsAndDecisions() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Rejection("", "m")).withMessage("code must not be blank");
        assertThatNullPointerException().isThrownBy(() -> new Rejection("C", null)).withMessage("message must not be null");
        assertThatNullPointerException().isThrownBy(() -> Decision.accept("a", null)).withMessage("events[1] must not be null");
        assertThatNullPointerException().isThrownBy(() -> Decision.reject(null)).withMessage("rejection must not be null");
        assertThat(Decision.accept(java.util.List.of("a", "b"))).isEqualTo(new Decision.Accepted<>(java.util.List.of("a", "b")));
        assertThat(Decision.accept()).isEqualTo(new Decision.Accepted<>(java.util.List.of()));
        assertThat(Decision.reject("C", "m")).isEqualTo(new Decision.Rejected<>(new Rejection("C", "m")));
    }

    @Test
    void shouldMatchExpectedVersions() {
        assertThat(ExpectedVersion.any().matches(0)).isTrue();
        assertThat(ExpectedVersion.any().matches(42)).isTrue();
        assertThat(ExpectedVersion.noStream().matches(0)).isTrue();
        assertThat(ExpectedVersion.noStream().matches(1)).isFalse();
        assertThat(ExpectedVersion.exactly(3).matches(3)).isTrue();
        assertThat(ExpectedVersion.exactly(3).matches(4)).isFalse();
        assertThat(ExpectedVersion.exactly(3)).isEqualTo(ExpectedVersion.exactly(3)).hasToString("exactly(3)");
        assertThat(ExpectedVersion.any()).hasToString("any");
        assertThat(ExpectedVersion.noStream()).hasToString("noStream");
        assertThatIllegalArgumentException().isThrownBy(() -> ExpectedVersion.exactly(-1))
                .withMessage("version must be >= 0 but was -1");
    }
}
