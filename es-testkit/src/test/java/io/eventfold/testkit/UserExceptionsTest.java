package io.eventfold.testkit;

import io.eventfold.core.Aggregate;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Decision;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A failure thrown as the user's own exception type still matches its JDK supertypes. */
class UserExceptionsTest {

    static final class LedgerClosedException extends IllegalStateException {
        LedgerClosedException() {
            super("the ledger is closed");
        }
    }

    private final Aggregate<String, String, String> ledger = Aggregate.of("", (command, state) -> {
        throw new LedgerClosedException();
    }, (state, event) -> state);

    @Test
    void shouldMatchTheThrownTypeAndEachOfItsSupertypes() {
        AggregateFixture.pure(ledger).givenNothing()
                .when("post")
                .thenFailed(LedgerClosedException.class)
                .thenFailed(IllegalStateException.class)
                .thenFailed(RuntimeException.class)
                .thenResult(result -> EventfoldAssertions.assertThat(result).isFailedWith(RuntimeException.class));
    }

    @Test
    void shouldNotMatchAnUnrelatedType() {
        assertThatThrownBy(() -> AggregateFixture.pure(ledger).givenNothing()
                .when("post")
                .thenFailed(IllegalArgumentException.class))
                .hasMessageStartingWith("expected the command to fail with java.lang.IllegalArgumentException [pure ✘]");
        assertThatThrownBy(() -> EventfoldAssertions.assertThat(new CommandResult.Failed<String, String>(
                "c", "a", 0, LedgerClosedException.class.getName(), "closed")).isFailedWith(IllegalArgumentException.class))
                .isInstanceOf(AssertionError.class);
    }
}
