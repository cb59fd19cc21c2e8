package io.eventfold.testkit;

import io.eventfold.testkit.trial.Trial;
import io.eventfold.testkit.trial.TrialAggregate;
import io.eventfold.testkit.trial.TrialCommand;
import io.eventfold.testkit.trial.TrialCommand.*;
import io.eventfold.testkit.trial.TrialEvent;
import io.eventfold.testkit.trial.TrialEvent.*;
import io.eventfold.testkit.trial.Trials;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What a developer reads when an expectation on deadlines fails: these messages are part of the API. */
class DeadlineFailureMessageTest {

    static final Instant END = Instant.parse("2026-01-31T09:00:00Z");

    private final AggregateFixture<TrialCommand, TrialEvent, Trial> fixture = AggregateFixture.of(Trials.TYPE);

    @Test
    void shouldShowTheDecisionsDeadlineChangesAndTheFirstDifference() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .givenNothing()
                .when(new Start(END))
                .thenScheduled(TrialAggregate.END, END.plusSeconds(60), new End()));

        assertThat(error.getMessage()).isEqualTo("""
                expected deadline end to be scheduled [pure ✘ | topology ✘]

                Scenario
                  given
                    nothing
                  when
                    Start[endsAt=2026-01-31T09:00:00Z] (expected version any, command id command-1)
                  decision
                    accepted at version 1 with 1 event
                    schedule end at 2026-01-31T09:00:00Z: End[]
                    schedule reminder at 2026-01-28T09:00:00Z: Remind[]

                Expecting the last change to deadline end to be:
                  schedule end at 2026-01-31T09:01:00Z: End[]
                but the deadline changes were (pure):
                  1. schedule end at 2026-01-31T09:00:00Z: End[]
                  2. schedule reminder at 2026-01-28T09:00:00Z: Remind[]

                First difference: deadline.dueAt: expected 2026-01-31T09:01:00Z but was 2026-01-31T09:00:00Z
                """);
        assertThat(error.getExpected().getStringRepresentation()).isEqualTo("schedule end at 2026-01-31T09:01:00Z: End[]");
        assertThat(error.getActual().getStringRepresentation()).isEqualTo("schedule end at 2026-01-31T09:00:00Z: End[]");
    }

    @Test
    void shouldNameTheCommandThatChangedNoDeadlineAsTheProbableCause() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .givenCommands(new Start(END))
                .when(new Start(END))
                .thenCancelled(TrialAggregate.REMINDER));

        assertThat(error.getMessage()).startsWith("expected deadline reminder to be cancelled [pure ✘ | topology ✘]").endsWith("""
                Expecting the last change to deadline reminder to be:
                  cancel reminder
                but the command changed no deadline (pure)

                Probable cause: the command was rejected ALREADY_STARTED: the trial is TRIAL
                """);
    }

    @Test
    void shouldShowWhatFiredAndWhatIsStillScheduled() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .givenCommands(new Start(END), new Subscribe())
                .whenTimeAdvancesTo(END)
                .thenFired(new Remind(), new End()));

        assertThat(error.getMessage()).isEqualTo("""
                fired commands mismatch [pure ✘ | topology ✘]

                Scenario
                  given
                    1. command Start[endsAt=2026-01-31T09:00:00Z] (expected version any, command id command-1) → accepted at version 1 with 1 event; schedule end at 2026-01-31T09:00:00Z: End[]; schedule reminder at 2026-01-28T09:00:00Z: Remind[]
                    2. command Subscribe[] (expected version any, command id command-2) → accepted at version 2 with 1 event; cancel end
                  when
                    time advances to 2026-01-31T09:00:00Z
                  fired
                    reminder: Remind[] (command id trial-1/deadline/reminder/1) → rejected NOT_IN_TRIAL: the trial is SUBSCRIBED

                Expecting the deadlines due to fire:
                    # | expected | actual (pure)
                    1 | Remind[] | Remind[]
                  ✘ 2 | End[]    | <missing>

                First difference: fired[1]: expected End[] but was <nothing>

                Still scheduled: nothing
                """);
    }

    @Test
    void shouldListTheDeadlinesStillScheduledWhenNothingWasDue() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .givenCommands(new Start(END))
                .whenTimeAdvancesBy(Duration.ofDays(1))
                .thenEvents(new Ended()));

        assertThat(error.getMessage()).startsWith("events mismatch [pure ✘ | topology ✘]").contains("""
                  when
                    time advances to 2026-01-02T09:00:00Z
                  fired
                    nothing: no deadline was due
                """).endsWith("""
                Probable cause: no deadline was due; still scheduled:
                  reminder at 2026-01-28T09:00:00Z: Remind[]
                  end at 2026-01-31T09:00:00Z: End[]
                """);
    }

    @Test
    void shouldApplyAnExpectationOnTheResultToEveryCommandFired() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .givenCommands(new Start(END), new Subscribe())
                .whenTimeAdvancesTo(END)
                .thenAccepted());

        assertThat(error.getMessage()).startsWith("expected the command to be accepted [pure ✘ | topology ✘]").endsWith("""
                Expecting result of every command fired:
                  rejected NOT_IN_TRIAL: the trial is SUBSCRIBED
                to be:
                  accepted

                Probable cause: the command fired was rejected NOT_IN_TRIAL: the trial is SUBSCRIBED
                """);
    }

    @Test
    void shouldSayThatNothingFiredForAnExpectationOnTheResult() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .givenCommands(new Start(END))
                .whenTimeAdvancesBy(Duration.ofMinutes(1))
                .thenRejected("NOT_IN_TRIAL"));

        assertThat(error.getMessage()).endsWith("""
                Expecting result:
                  rejected NOT_IN_TRIAL
                but no deadline fired (pure)
                """);
    }

    @Test
    void shouldStartAtTheTestLine() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .givenCommands(new Start(END))
                .whenTimeAdvancesTo(END)
                .thenNothingFired());

        assertThat(error.getMessage()).startsWith("expected nothing to fire [pure ✘ | topology ✘]");
        assertThat(error.getStackTrace()[0].getClassName()).isEqualTo(DeadlineFailureMessageTest.class.getName());
    }
}
