package io.eventfold.testkit;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.testkit.trial.Trial;
import io.eventfold.testkit.trial.TrialAggregate;
import io.eventfold.testkit.trial.TrialCommand;
import io.eventfold.testkit.trial.TrialCommand.*;
import io.eventfold.testkit.trial.TrialEvent;
import io.eventfold.testkit.trial.TrialEvent.*;
import io.eventfold.testkit.trial.Trials;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Deadlines on both runners: what a decision schedules and cancels, and what fires when time passes. */
class DeadlineScenarioTest {

    static final Instant START = Instant.parse("2026-01-01T09:00:00Z");
    static final Instant END = Instant.parse("2026-01-31T09:00:00Z");
    static final Instant FIRST_REMINDER = END.minus(Duration.ofDays(3));
    static final Instant SECOND_REMINDER = END.minus(Duration.ofDays(1));

    final AggregateFixture<TrialCommand, TrialEvent, Trial> fixture = AggregateFixture.of(Trials.TYPE);

    @Nested
    class Decisions {

        @Test
        void shouldScheduleWhatTheDecisionSchedules() {
            fixture.givenNothing()
                    .when(new Start(END))
                    .thenEvents(new Started(END))
                    .thenScheduled(TrialAggregate.END, END, new End())
                    .thenScheduled(TrialAggregate.REMINDER, FIRST_REMINDER, new Remind());
        }

        @Test
        void shouldCancelWhatTheDecisionCancels() {
            fixture.givenCommands(new Start(END))
                    .when(new Subscribe())
                    .thenEvents(new Subscribed())
                    .thenCancelled(TrialAggregate.END);
        }

        @Test
        void shouldSeeAScheduleAgainAsTheNewSchedule() {
            Instant later = END.plus(Duration.ofDays(7));

            fixture.givenCommands(new Start(END))
                    .when(new Extend(later))
                    .thenScheduled(TrialAggregate.END, later, new End());
        }

        @Test
        void shouldChangeNoDeadlineForARejectedCommand() {
            fixture.givenCommands(new Start(END))
                    .when(new Start(END))
                    .thenRejected("ALREADY_STARTED")
                    .thenNoDeadlineChanges();
        }

        @Test
        void shouldFailADeadlineChangeWithoutAnEvent() {
            fixture.givenCommands(new Start(END))
                    .when(new Snooze())
                    .thenFailed(IllegalStateException.class)
                    .thenNoEvents()
                    .thenNoDeadlineChanges();
        }
    }

    @Nested
    class Time {

        @Test
        void shouldFireADeadlineWhenItsTimeComes() {
            fixture.givenCommands(new Start(END))
                    .whenTimeAdvancesTo(FIRST_REMINDER)
                    .thenFired(new Remind())
                    .thenAccepted()
                    .thenEvents(new Reminded(1))
                    .thenScheduled(TrialAggregate.REMINDER, SECOND_REMINDER, new Remind())
                    .thenVersion(2)
                    .thenState(new Trial(Trial.Status.TRIAL, END, 1));
        }

        @Test
        void shouldFireNothingBeforeItIsDue() {
            fixture.givenCommands(new Start(END))
                    .whenTimeAdvancesTo(FIRST_REMINDER.minusMillis(1))
                    .thenNothingFired()
                    .thenNoEvents()
                    .thenVersion(1);
        }

        @Test
        void shouldFireEverythingDueInDueOrderWhenTimeJumps() {
            fixture.givenCommands(new Start(END))
                    .whenTimeAdvancesTo(FIRST_REMINDER)
                    .thenFired(new Remind())
                    .and()
                    .whenTimeAdvancesBy(Duration.ofDays(10))
                    .thenFired(new Remind(), new End())
                    .thenEvents(new Reminded(2), new Ended())
                    .thenState(new Trial(Trial.Status.ENDED, END, 2));
        }

        @Test
        void shouldFireADeadlineScheduledByAFiredCommandAtTheNextStepWhenAlreadyDue() {
            fixture.givenCommands(new Start(END))
                    .whenTimeAdvancesTo(END)
                    .thenFired(new Remind(), new End())
                    .thenEvents(new Reminded(1), new Ended())
                    .and()
                    .whenTimeAdvancesBy(Duration.ofMillis(1))
                    .thenFired(new Remind())
                    .thenRejected("NOT_IN_TRIAL")
                    .thenNoEvents();
        }

        @Test
        void shouldFireNothingThatWasCancelled() {
            fixture.givenCommands(new Start(END), new Subscribe())
                    .whenTimeAdvancesTo(FIRST_REMINDER)
                    .thenFired(new Remind())
                    .thenRejected("NOT_IN_TRIAL")
                    .and()
                    .whenTimeAdvancesTo(END.plus(Duration.ofDays(1)))
                    .thenNothingFired()
                    .thenState(new Trial(Trial.Status.SUBSCRIBED, END, 0));
        }

        @Test
        void shouldFireTheReplacementOfARescheduledDeadline() {
            Instant later = END.plus(Duration.ofDays(7));

            fixture.givenCommands(new Start(END), new Extend(later))
                    .whenTimeAdvancesTo(END)
                    .thenFired(new Remind())
                    .and()
                    .whenTimeAdvancesTo(later)
                    .thenFired(new Remind(), new End())
                    .thenEvents(new Reminded(2), new Ended());
        }

        @Test
        void shouldSendTheFiredCommandWithItsDeadlineIdAndTheSchedulingCommandsChain() {
            fixture.withMetadata(Map.of("user", "alice"))
                    .givenCommands(new Start(END))
                    .whenTimeAdvancesTo(FIRST_REMINDER)
                    .thenResult(result -> assertThat(result.commandId()).isEqualTo("trial-1/deadline/reminder/1"))
                    .thenCorrelationId("command-1")
                    .thenEventMetadata(Map.of("user", "alice"));
        }

        @Test
        void shouldStampTheEventsOfAFiredCommandWithTheTimeItFired() {
            Then<TrialCommand, TrialEvent, Trial> fired = fixture.givenCommands(new Start(END))
                    .whenTimeAdvancesTo(FIRST_REMINDER.plusSeconds(30));

            assertThat(((CommandResult.Accepted<TrialEvent, Trial>) fired.result()).events())
                    .extracting(Event::timestamp).containsExactly(FIRST_REMINDER.plusSeconds(30));
        }

        @Test
        void shouldHandleTheNextCommandASecondAfterTheTimeAdvancedTo() {
            Then<TrialCommand, TrialEvent, Trial> next = fixture.givenCommands(new Start(END))
                    .whenTimeAdvancesTo(FIRST_REMINDER.minusSeconds(60))
                    .and()
                    .when(new Subscribe());

            assertThat(((CommandResult.Accepted<TrialEvent, Trial>) next.result()).events())
                    .extracting(Event::timestamp).containsExactly(FIRST_REMINDER.minusSeconds(59));
        }

        @Test
        void shouldFireADeadlineDueBeforeItWasScheduledAtTheNextTimeStep() {
            Instant past = START.minus(Duration.ofDays(1));

            fixture.givenCommands(new Start(past))
                    .whenTimeAdvancesTo(START)
                    .thenFired(new Remind(), new End())
                    .thenEvents(new Reminded(1), new Ended());
        }

        @Test
        void shouldAdvanceFromTheFixturesStartBeforeAnyCommand() {
            fixture.given(new Started(START.plus(Duration.ofDays(1))))
                    .whenTimeAdvancesBy(Duration.ofDays(2))
                    .thenNothingFired();   // given events schedule nothing: only decisions do
        }

        @Test
        void shouldAnswerAFiringRepeatedAfterACrashFromMemory() {
            fixture.givenCommands(new Start(END))
                    .whenTimeAdvancesTo(FIRST_REMINDER)
                    .thenFired(new Remind())
                    .and()
                    .whenRedelivered()
                    .thenResult(result -> assertThat(result).isInstanceOf(CommandResult.AlreadyAccepted.class))
                    .thenNoEvents()
                    .thenVersion(2);
        }

        @Test
        void shouldFailADecisionThatSchedulesBeyondTheMillisecondClockOnBothRunners() {
            fixture.givenNothing()
                    .when(new Start(Instant.MAX))
                    .thenFailed(IllegalArgumentException.class)
                    .thenNoEvents();
        }

        @Test
        void shouldWorkOnAPureFixtureToo() {
            AggregateFixture.pure(new TrialAggregate())
                    .givenCommands(new Start(END))
                    .whenTimeAdvancesTo(END)
                    .thenFired(new Remind(), new End())
                    .thenState(new Trial(Trial.Status.ENDED, END, 1));
        }
    }

    @Nested
    class Misuse {

        @Test
        void shouldRefuseTimeGoingBack() {
            Scenario<TrialCommand, TrialEvent, Trial> scenario = fixture.givenCommands(new Start(END));

            assertThatThrownBy(() -> scenario.whenTimeAdvancesTo(START.minusSeconds(1)))
                    .isInstanceOf(FixtureConfigurationException.class)
                    .hasMessage("time cannot go back: whenTimeAdvancesTo(2026-01-01T08:59:59Z) but the scenario's clock is at "
                            + "2026-01-01T09:00:00Z (the last step)");
            assertThatThrownBy(() -> scenario.whenTimeAdvancesBy(Duration.ofSeconds(-1)))
                    .isInstanceOf(FixtureConfigurationException.class)
                    .hasMessage("time cannot go back: whenTimeAdvancesBy(PT-1S)");
        }

        @Test
        void shouldRefuseTimeStandingStillAfterATimeStep() {
            Scenario<TrialCommand, TrialEvent, Trial> scenario = fixture.givenCommands(new Start(END)).whenTimeAdvancesTo(END).and();

            assertThatThrownBy(() -> scenario.whenTimeAdvancesTo(END))
                    .isInstanceOf(FixtureConfigurationException.class)
                    .hasMessage("whenTimeAdvancesTo(2026-01-31T09:00:00Z): the clock is already there, since the last step let time "
                            + "pass to it; let it move on by at least a millisecond, as the deadline timer fires at its next tick");
        }

        @Test
        void shouldRefuseATimeFinerThanAMillisecond() {
            assertThatThrownBy(() -> fixture.givenNothing().whenTimeAdvancesTo(END.plusNanos(1_500)))
                    .isInstanceOf(FixtureConfigurationException.class)
                    .hasMessage("whenTimeAdvancesTo(2026-01-31T09:00:00.000001500Z) has a part finer than a millisecond: "
                            + "Kafka's clock, and so the deadlines' timer, counts whole milliseconds");
        }

        @Test
        void shouldRefuseThenFiredAfterACommand() {
            Then<TrialCommand, TrialEvent, Trial> then = fixture.givenNothing().when(new Start(END));

            assertThatThrownBy(() -> then.thenFired(new Remind()))
                    .isInstanceOf(FixtureConfigurationException.class)
                    .hasMessage("thenFired(…) expects what fired when time passed: call it after whenTimeAdvancesTo(…) "
                            + "or whenTimeAdvancesBy(…), not after a command");
        }
    }
}
