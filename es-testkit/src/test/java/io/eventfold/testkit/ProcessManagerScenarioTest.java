package io.eventfold.testkit;

import io.eventfold.core.Command;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.testkit.trial.TrialAccount;
import io.eventfold.testkit.trial.TrialAccounts;
import io.eventfold.testkit.trial.TrialEvent;
import io.eventfold.testkit.trial.TrialEvent.*;
import io.eventfold.testkit.trial.Trials;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A process manager on both runners: the commands it sends for events and for the results of its commands. */
class ProcessManagerScenarioTest {

    static final Instant END = Instant.parse("2026-01-31T09:00:00Z");
    static final String ACCOUNT = "acc-trial-1";

    final ProcessManagerFixture<TrialEvent, TrialAccount, AccountCommand> fixture = ProcessManagerFixture.of(Trials.TRIAL_ACCOUNTS);

    @Nested
    class Events {

        @Test
        void shouldSendCommandsNamedAfterTheEvent() {
            fixture.given(new Started(END))
                    .when(new Subscribed())
                    .thenSends(ACCOUNT, new Open("trial-1"), new Deposit(10))
                    .thenCommands(commands -> {
                        assertThat(commands).extracting(Command::commandId)
                                .containsExactly("trial-accounts/trial/trial-1/2/0", "trial-accounts/trial/trial-1/2/1");
                        assertThat(commands).extracting(Command::correlation).containsOnly("command-2");
                    })
                    .thenState(new TrialAccount(ACCOUNT, 0));
        }

        @Test
        void shouldSendNothingForAnEventItIgnores() {
            fixture.given(new Started(END))
                    .when(new Reminded(1))
                    .thenSendsNothing()
                    .thenState(new TrialAccount(ACCOUNT, 0));
        }

        @Test
        void shouldKeepItsStateFromTheGivenEvents() {
            fixture.givenNothing()
                    .when(new Started(END))
                    .thenSendsNothing()
                    .thenState(state -> assertThat(state.account()).isEqualTo(ACCOUNT));
        }

        @Test
        void shouldCarryTheEventsCorrelationIdAndMetadata() {
            Event<TrialEvent> subscribed = new Event<>("trial-1", 2, "c-9", END, new Subscribed(), "order-7", Map.of("user", "alice"));

            fixture.given(new Started(END))
                    .whenEvent(subscribed)
                    .thenCommands(commands -> assertThat(commands).allSatisfy(command -> {
                        assertThat(command.correlationId()).isEqualTo("order-7");
                        assertThat(command.metadata()).isEqualTo(Map.of("user", "alice"));
                    }));
        }

        @Test
        void shouldPassOverAnEventHandledBefore() {
            fixture.given(new Started(END), new Subscribed())
                    .whenEvent(new Event<>("trial-1", 2, "command-2", END, new Subscribed()))
                    .thenPassedOver()
                    .thenSendsNothing();
        }

        @Test
        void shouldCountAnEventTheManagerFailsOnAsHandled() {
            fixture.given(new Started(END))
                    .when(new Reminded(3))
                    .thenFailed(IllegalStateException.class)
                    .thenSendsNothing()
                    .thenState(new TrialAccount(ACCOUNT, 0))
                    .and()
                    .when(new Subscribed())
                    .thenSends(ACCOUNT, new Open("trial-1"), new Deposit(10));
        }

        @Test
        void shouldKeepTheStatesOfTwoSourceAggregatesApart() {
            fixture.given(new Started(END))
                    .whenEvent(new Event<>("trial-2", 1, "c-1", END, new Started(END)))
                    .thenState(new TrialAccount("acc-trial-2", 0))
                    .and()
                    .when(new Subscribed())
                    .thenSends(ACCOUNT, new Open("trial-1"), new Deposit(10));
        }
    }

    @Nested
    class Results {

        @Test
        void shouldTakeARejectionAsAnInput() {
            fixture.given(new Started(END), new Subscribed())
                    .whenResult(Reply.rejected("ALREADY_OPEN", "account is OPEN"))
                    .thenSends(ACCOUNT, new Deposit(1))
                    .thenState(new TrialAccount(ACCOUNT, 1))
                    .thenCommands(commands -> assertThat(commands.get(0).commandId()).isEqualTo("trial-accounts/trial/trial-1/result-1/0"));
        }

        @Test
        void shouldAnswerTheOldestCommandFirstOrTheOneNamed() {
            fixture.given(new Started(END), new Subscribed())
                    .whenResult("trial-accounts/trial/trial-1/2/1", Reply.rejected("NOT_OPEN", "account was never opened"))
                    .thenSends(ACCOUNT, new Deposit(1))
                    .and()
                    .whenResult(Reply.accepted())
                    .thenSendsNothing()
                    .thenState(new TrialAccount(ACCOUNT, 1))
                    .and()
                    .whenResult(Reply.rejected("ACCOUNT_CLOSED", "account is closed"))
                    .thenSends(ACCOUNT, new Deposit(1))
                    .thenState(new TrialAccount(ACCOUNT, 2))
                    .thenCommands(commands -> assertThat(commands.get(0).commandId()).isEqualTo("trial-accounts/trial/trial-1/result-3/0"));
        }

        @Test
        void shouldGiveAFailureToTheManager() {
            fixture.given(new Started(END), new Subscribed())
                    .whenResult(Reply.failed(new IllegalArgumentException("account store unavailable")))
                    .thenSendsNothing()
                    .thenState(new TrialAccount(ACCOUNT, 0));
        }

        @Test
        void shouldAnswerACommandThatExpectsAVersion() {
            fixture.given(new Started(END), new Ended())
                    .whenResult(Reply.rejected("BALANCE_NOT_ZERO", "balance is 10"))
                    .thenSends(ACCOUNT, new Deposit(1));
        }

        @Test
        void shouldRefuseAResultWhenNothingAwaitsOne() {
            ProcessScenario<TrialEvent, TrialAccount, AccountCommand> scenario = fixture.given(new Started(END));

            assertThatThrownBy(() -> scenario.whenResult(Reply.accepted()))
                    .isInstanceOf(FixtureConfigurationException.class)
                    .hasMessage("whenResult(accepted): no command awaits a result; the manager sends commands in reaction to events "
                            + "(given or when) and to results");
        }

        @Test
        void shouldNameTheCommandsThatAwaitAResult() {
            ProcessScenario<TrialEvent, TrialAccount, AccountCommand> scenario = fixture.given(new Started(END), new Subscribed());

            assertThatThrownBy(() -> scenario.whenResult("nope", Reply.accepted()))
                    .isInstanceOf(FixtureConfigurationException.class)
                    .hasMessage("whenResult(\"nope\", accepted): no such command awaits a result; awaiting: "
                            + "trial-accounts/trial/trial-1/2/0, trial-accounts/trial/trial-1/2/1");
        }
    }

    @Test
    void shouldOpenAnAccountAndTakeARefusalAsAnInput() {   // docs/testing.md, section 11
        fixture.given(new Started(END))
                .when(new Subscribed())
                .thenSends("acc-trial-1", new Open("trial-1"), new Deposit(10))
                .and()
                .whenResult(Reply.rejected("ALREADY_OPEN", "account is OPEN"))
                .thenSends("acc-trial-1", new Deposit(1))
                .thenState(new TrialAccount("acc-trial-1", 1));
    }

    @Test
    void shouldRunAPureFixtureWithoutKafka() {
        ProcessManagerFixture.pure("trial-accounts", "trial", new TrialAccounts())
                .given(new Started(END), new Subscribed())
                .whenResult(Reply.rejected("ALREADY_OPEN", "account is OPEN"))
                .thenSends(ACCOUNT, new Deposit(1))
                .thenState(new TrialAccount(ACCOUNT, 1));
    }

    @Test
    void shouldRunAManagerWhoseSourceIsItsTarget() {
        var fees = io.eventfold.kafka.ProcessManagerType.builder("fees", io.eventfold.core.ProcessManager.<io.eventfold.core.account.AccountEvent,
                        String, AccountCommand>of("", (state, event) -> event.payload() instanceof io.eventfold.core.account.AccountEvent.Deposited deposited
                        && deposited.amount() > 100
                        ? io.eventfold.core.Reaction.<String, AccountCommand>of(state).send(event.aggregateId(), new Withdraw(1))
                        : io.eventfold.core.Reaction.of(state)))
                .from(Trials.ACCOUNTS).to(Trials.ACCOUNTS).state(String.class).build();

        ProcessManagerFixture.of(fees)
                .given(new io.eventfold.core.account.AccountEvent.Opened("alice"))
                .when(new io.eventfold.core.account.AccountEvent.Deposited(500))
                .thenSends("account-1", new Withdraw(1))
                .and()
                .whenResult(Reply.accepted())
                .thenSendsNothing();
    }

    @Test
    void shouldUseTheExpectedVersionOfTheCommand() {
        fixture.given(new Started(END))
                .when(new Ended())
                .thenCommands(commands -> assertThat(commands.get(0).expectedVersion()).isEqualTo(ExpectedVersion.exactly(2)));
    }
}
