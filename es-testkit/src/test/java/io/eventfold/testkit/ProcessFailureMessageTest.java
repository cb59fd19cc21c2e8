package io.eventfold.testkit;

import io.eventfold.core.ProcessManager;
import io.eventfold.core.Reaction;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.kafka.ProcessManagerType;
import io.eventfold.testkit.trial.TrialAccount;
import io.eventfold.testkit.trial.TrialEvent;
import io.eventfold.testkit.trial.TrialEvent.*;
import io.eventfold.testkit.trial.Trials;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What a developer reads when an expectation on a process manager fails: these messages are part of the API. */
class ProcessFailureMessageTest {

    static final Instant END = Instant.parse("2026-01-31T09:00:00Z");

    final ProcessManagerFixture<TrialEvent, TrialAccount, AccountCommand> fixture = ProcessManagerFixture.of(Trials.TRIAL_ACCOUNTS);

    @Test
    void shouldShowTheScenarioATableOfCommandsAndTheFirstDifference() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Started(END))
                .when(new Subscribed())
                .thenSends("acc-trial-1", new Open("trial-1"), new Deposit(20)));

        assertThat(error.getMessage()).isEqualTo("""
                sent commands mismatch [pure ✘ | topology ✘]

                Scenario
                  given
                    1. Started[endsAt=2026-01-31T09:00:00Z] (event trial-1@1) → sends nothing
                  when
                    Subscribed[] (event trial-1@2)
                  reaction
                    sends Open[owner=trial-1] to acc-trial-1 (command id trial-accounts/trial/trial-1/2/0)
                    sends Deposit[amount=10] to acc-trial-1 (command id trial-accounts/trial/trial-1/2/1)

                Expecting commands:
                    # | expected                           | actual (pure)
                    1 | Open[owner=trial-1] to acc-trial-1 | Open[owner=trial-1] to acc-trial-1
                  ✘ 2 | Deposit[amount=20] to acc-trial-1  | Deposit[amount=10] to acc-trial-1

                First difference: commands[1].payload.amount: expected 20 but was 10
                """);
        assertThat(error.getExpected().getStringRepresentation())
                .isEqualTo("[Open[owner=trial-1] to acc-trial-1, Deposit[amount=20] to acc-trial-1]");
    }

    @Test
    void shouldNameTheManagersFailureAsTheProbableCause() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Started(END))
                .when(new Reminded(3))
                .thenSends("acc-trial-1", new Deposit(1)));

        assertThat(error.getMessage()).contains("""
                  reaction
                    the manager failed: java.lang.IllegalStateException: too many reminders for trial-1
                """).endsWith("""
                Probable cause: the manager failed: java.lang.IllegalStateException: too many reminders for trial-1
                """);
    }

    @Test
    void shouldShowTheResultGivenAndWhatTheManagerSentBefore() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Started(END), new Subscribed())
                .whenResult(Reply.accepted())
                .thenSends("acc-trial-1", new Deposit(1)));

        assertThat(error.getMessage()).contains("""
                    2. Subscribed[] (event trial-1@2) → sends Open[owner=trial-1] to acc-trial-1 (command id trial-accounts/trial/trial-1/2/0); sends Deposit[amount=10] to acc-trial-1 (command id trial-accounts/trial/trial-1/2/1)
                  when
                    the result of Open[owner=trial-1] to acc-trial-1 (command id trial-accounts/trial/trial-1/2/0): accepted
                  reaction
                    sends nothing
                """);
    }

    @Test
    void shouldSayWhatTheManagerDidInstead() {
        AssertionFailedError failed = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Started(END))
                .when(new Reminded(1))
                .thenFailed(IllegalStateException.class));
        AssertionFailedError passedOver = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Started(END))
                .when(new Reminded(1))
                .thenPassedOver());

        assertThat(failed.getMessage()).startsWith("expected the manager to fail with java.lang.IllegalStateException [pure ✘ | topology ✘]")
                .endsWith("""
                        Expecting the manager to fail with:
                          java.lang.IllegalStateException
                        but it sent nothing (pure)
                        """);
        assertThat(passedOver.getMessage()).startsWith("expected the event to be passed over [pure ✘ | topology ✘]")
                .endsWith("""
                        Expecting the event to be passed over as handled before
                        but the manager sent nothing (pure)
                        """);
    }

    @Test
    void shouldCatchAManagerThatIsNotPure() {
        AtomicInteger counter = new AtomicInteger();
        ProcessManagerType<TrialEvent, String, AccountCommand> impure = ProcessManagerType.builder("impure",
                        ProcessManager.<TrialEvent, String, AccountCommand>of("", (state, event) ->
                                Reaction.<String, AccountCommand>of(state).send("acc", new Deposit(counter.incrementAndGet()))))
                .from(Trials.TYPE).to(Trials.ACCOUNTS).state(String.class).build();

        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class,
                () -> ProcessManagerFixture.of(impure).givenNothing().when(new Started(END)));

        assertThat(error.getMessage()).startsWith("the pure and topology runners disagree [check RUNNERS_AGREE]").contains("""
                First difference (expected = pure, actual = topology): sent[0].payload.amount: expected 1 but was 2

                Probable cause: the manager is not pure (it reads a clock, a random number or mutable state), or its state, an event or a command does not survive JSON.
                """);
        assertThat(ProcessManagerFixture.of(impure).withoutChecks(Check.RUNNERS_AGREE).checks())
                .containsExactlyInAnyOrder(Check.JSON_ROUND_TRIP, Check.TOPOLOGY_OUTPUTS);
    }

    @Test
    void shouldStartAtTheTestLine() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Started(END))
                .when(new Subscribed())
                .thenSendsNothing());

        assertThat(error.getStackTrace()[0].getClassName()).isEqualTo(ProcessFailureMessageTest.class.getName());
    }
}
