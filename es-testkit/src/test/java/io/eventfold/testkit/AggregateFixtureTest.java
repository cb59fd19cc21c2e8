package io.eventfold.testkit;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.*;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.eventfold.testkit.Accounts.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AggregateFixtureTest {

    private final AggregateFixture<AccountCommand, AccountEvent, Account> fixture = AggregateFixture.of(Accounts.TYPE);

    @Nested
    class Given {

        @Test
        void shouldStartFromEvents() {
            fixture.given(new Opened("alice"), new Deposited(10))
                    .when(new Withdraw(4))
                    .thenEvents(new Withdrawn(4))
                    .thenVersion(3)
                    .thenState(open("alice", 6));
        }

        @Test
        void shouldStartFromAListOfEvents() {
            fixture.given(List.of(new Opened("alice")))
                    .when(new Deposit(1))
                    .thenVersion(2);
        }

        @Test
        void shouldStartFromNothing() {
            fixture.givenNothing()
                    .when(new Deposit(5))
                    .thenRejected("NOT_OPEN")
                    .thenNoEvents()
                    .thenVersion(0);
        }

        @Test
        void shouldStartFromAStateInBothRunners() {
            fixture.givenState(open("bob", 50), 7)
                    .when(new Withdraw(20))
                    .thenEvents(new Withdrawn(20))
                    .thenVersion(8)
                    .thenState(open("bob", 30));
        }

        @Test
        void shouldStartFromAcceptedCommands() {
            fixture.givenCommands(new Open("carol"), new Deposit(3), new DepositInParts(List.of(1L, 1L)))
                    .when(new Withdraw(5))
                    .thenEvents(new Withdrawn(5))
                    .thenVersion(5);
        }

        @Test
        void shouldNameAGivenCommandThatIsNotAccepted() {
            assertThatThrownBy(() -> fixture.givenCommands(new Open("carol"), new Withdraw(100)))
                    .isInstanceOf(FixtureConfigurationException.class)
                    .isNotInstanceOf(AssertionError.class)
                    .hasMessage("given command Withdraw[amount=100] was not accepted by the pure runner: rejected "
                            + "INSUFFICIENT_FUNDS: balance is 0; givenCommands(…) takes only commands that succeed, "
                            + "use when(…) to test the others");
        }

        @Test
        void shouldNameAGivenEventThatCannotBeApplied() {
            assertThatThrownBy(() -> fixture.given(new Opened("alice"), new Poisoned()))
                    .isInstanceOf(FixtureConfigurationException.class)
                    .hasMessage("given event #2 Poisoned[] cannot be applied: evolve threw java.lang.ArithmeticException: evolve exploded");
        }
    }

    @Nested
    class When {

        @Test
        void shouldPassTheExpectedVersion() {
            fixture.given(new Opened("alice"))
                    .when(new Deposit(5), ExpectedVersion.exactly(0))
                    .thenConflict()
                    .thenNoEvents()
                    .and()
                    .when(new Deposit(5), ExpectedVersion.exactly(1))
                    .thenEvents(new Deposited(5));
        }

        @Test
        void shouldSendAFullEnvelope() {
            Command<AccountCommand> command = new Command<>("my-id", "account-1", ExpectedVersion.noStream(),
                    new Open("dave"), Map.of("user", "dave"));

            fixture.givenNothing()
                    .whenCommand(command)
                    .thenResult(result -> assertThat(result.commandId()).isEqualTo("my-id"))
                    .thenEvents(new Opened("dave"));
        }

        @Test
        void shouldAnswerARedeliveryFromMemoryWithNoEvents() {
            fixture.given(new Opened("alice"))
                    .when(new Deposit(5))
                    .thenEvents(new Deposited(5))
                    .and()
                    .whenRedelivered()
                    .thenAccepted()
                    .thenResult(result -> assertThat(result).isEqualTo(
                            new CommandResult.AlreadyAccepted<>(result.commandId(), "account-1", 2, 1)))
                    .thenNoEvents()
                    .thenVersion(2)
                    .thenState(open("alice", 5));
        }

        @Test
        void shouldHandleARedeliveredFailureAgainOnBothRunners() {
            fixture.given(new Opened("alice"))
                    .when(new Misbehave(Fault.THROW_IN_DECIDE))
                    .thenFailed(IllegalStateException.class)
                    .and()
                    .whenRedelivered()
                    .thenFailed(IllegalStateException.class)
                    .thenVersion(1);
        }

        @Test
        void shouldNotReuseACommandIdTheTestChose() {
            Command<AccountCommand> chosen = new Command<>("command-2", "account-1", ExpectedVersion.any(), new Open("eve"), Map.of());

            fixture.givenNothing()
                    .whenCommand(chosen)
                    .thenEvents(new Opened("eve"))
                    .and()
                    .when(new Deposit(4))
                    .thenEvents(new Deposited(4))
                    .thenResult(result -> assertThat(result.commandId()).isEqualTo("command-2-2"));
        }

        @Test
        void shouldRefuseAStartBeforeKafkaTimestampsBegin() {
            assertThatThrownBy(() -> fixture.startingAt(java.time.Instant.parse("1969-12-31T23:59:59Z")))
                    .isInstanceOf(FixtureConfigurationException.class)
                    .hasMessage("startingAt(1969-12-31T23:59:59Z) is before 1970: Kafka record timestamps cannot be");
        }

        @Test
        void shouldRefuseARedeliveryBeforeAnyCommand() {
            assertThatThrownBy(() -> fixture.givenNothing().whenRedelivered())
                    .isInstanceOf(FixtureConfigurationException.class)
                    .hasMessage("whenRedelivered() needs an earlier when(…): there is no command to send again");
        }

        @Test
        void shouldRefuseACommandForAnotherAggregate() {
            assertThatThrownBy(() -> fixture.givenNothing().whenCommand(Command.of("other", new Open("x"))))
                    .isInstanceOf(FixtureConfigurationException.class)
                    .hasMessage("the command is for aggregate 'other' but this scenario's aggregate is 'account-1': "
                            + "use AggregateFixture.withAggregateId");
        }
    }

    @Nested
    class Then_ {

        @Test
        void shouldCheckRejectionsFailuresAndResults() {
            fixture.given(new Opened("alice"))
                    .when(new Withdraw(1))
                    .thenRejected("INSUFFICIENT_FUNDS")
                    .thenRejected(rejection -> assertThat(rejection.message()).isEqualTo("balance is 0"))
                    .thenResult(result -> assertThat(result).isInstanceOf(CommandResult.Rejected.class))
                    .and()
                    .when(new Misbehave(Fault.THROW_IN_DECIDE))
                    .thenFailed(IllegalStateException.class)
                    .thenFailed(RuntimeException.class)
                    .thenNoEvents()
                    .and()
                    .when(new DepositInParts(List.of(2L, 3L)))
                    .thenEventsSatisfy(events -> assertThat(events).hasSize(2))
                    .thenState(account -> assertThat(account.balance()).isEqualTo(5))
                    .thenVersion(3);
        }

        @Test
        void shouldRunAPureFixtureWithoutKafka() {
            AggregateFixture<AccountCommand, AccountEvent, Account> pure = AggregateFixture.pure(new AccountAggregate());

            pure.given(new Opened("alice"))
                    .when(new Deposit(3))
                    .thenEvents(new Deposited(3));
            assertThat(pure.checks()).containsExactly(Check.STATE_IS_REPLAY);
        }
    }
}
