package io.eventfold.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RedeliveryAnswerTest {

    @Test
    void shouldAnswerAnAcceptedCommandWithItsVersionAndEventCount() {
        CommandResult<String, String> accepted = new CommandResult.Accepted<>("c1", "INV-7", 5,
                List.of(new Event<>("INV-7", 4, "c1", Instant.EPOCH, "a"), new Event<>("INV-7", 5, "c1", Instant.EPOCH, "b")), "state");

        CommandResult<String, String> answer = accepted.redeliveryAnswer().orElseThrow();

        assertThat(answer).isEqualTo(new CommandResult.AlreadyAccepted<>("c1", "INV-7", 5, 2));
        assertThat(answer.kind()).isEqualTo(CommandResult.Kind.ACCEPTED);
        assertThat(((CommandResult.AlreadyAccepted<String, String>) answer).firstEventVersion()).isEqualTo(4);
    }

    @Test
    void shouldAnswerRejectionsConflictsAndEarlierAnswersAsTheyAre() {
        List<CommandResult<String, String>> results = List.of(
                new CommandResult.Rejected<>("c1", "INV-7", 3, new Rejection("NOT_DRAFT", "sent")),
                new CommandResult.Conflict<>("c2", "INV-7", 3, ExpectedVersion.exactly(2)),
                new CommandResult.AlreadyAccepted<>("c3", "INV-7", 3, 1));

        for (CommandResult<String, String> result : results) {
            assertThat(result.redeliveryAnswer()).contains(result);
        }
    }

    @Test
    void shouldNotRememberAFailure() {
        assertThat(new CommandResult.Failed<String, String>("c1", "INV-7", 3, "java.lang.IllegalStateException", "bug")
                .redeliveryAnswer()).isEmpty();
    }

    @Test
    void shouldRefuseMoreEventsThanVersions() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CommandResult.AlreadyAccepted<>("c1", "INV-7", 1, 2))
                .withMessage("version must be >= 2 but was 1");
        assertThatIllegalArgumentException().isThrownBy(() -> new CommandResult.AlreadyAccepted<>("c1", "INV-7", 1, -1))
                .withMessage("eventCount must be >= 0 but was -1");
    }
}
