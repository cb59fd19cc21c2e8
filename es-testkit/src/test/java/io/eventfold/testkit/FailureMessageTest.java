package io.eventfold.testkit;

import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.*;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.List;

import static io.eventfold.testkit.Accounts.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What a developer reads when an expectation fails: these messages are part of the API. */
class FailureMessageTest {

    private final AggregateFixture<AccountCommand, AccountEvent, Account> fixture = AggregateFixture.of(Accounts.TYPE);

    @Test
    void shouldShowTheScenarioAnIndexedTableTheFirstDifferenceAndTheProbableCause() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Opened("alice"), new Deposited(10))
                .when(new Withdraw(40))
                .thenEvents(new Withdrawn(40)));

        assertThat(error.getMessage()).isEqualTo("""
                events mismatch [pure ✘ | topology ✘]

                Scenario
                  given
                    1. Opened[owner=alice]
                    2. Deposited[amount=10]
                  when
                    Withdraw[amount=40] (expected version any, command id command-1)
                  decision
                    rejected INSUFFICIENT_FUNDS: balance is 10

                Expecting events:
                    # | expected             | actual (pure)
                  ✘ 1 | Withdrawn[amount=40] | <missing>

                First difference: events[0]: expected Withdrawn[amount=40] but was <nothing>

                Probable cause: the command was rejected INSUFFICIENT_FUNDS: balance is 10
                """);
        // Expected and actual travel with the error, so an IDE offers its diff view.
        assertThat(error.getExpected().getStringRepresentation()).isEqualTo("[Withdrawn[amount=40]]");
        assertThat(error.getActual().getStringRepresentation()).isEqualTo("[]");
    }

    @Test
    void shouldMarkUnexpectedEventsAndTheFirstDifferingComponent() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Opened("alice"))
                .when(new DepositInParts(List.of(2L, 3L)))
                .thenEvents(new Deposited(2), new Deposited(4), new Deposited(1)));

        assertThat(error.getMessage()).contains("""
                Expecting events:
                    # | expected            | actual (pure)
                    1 | Deposited[amount=2] | Deposited[amount=2]
                  ✘ 2 | Deposited[amount=4] | Deposited[amount=3]
                  ✘ 3 | Deposited[amount=1] | <missing>

                First difference: events[1].amount: expected 4 but was 3
                """).doesNotContain("Probable cause");
    }

    @Test
    void shouldNameEventsThatWereNotExpected() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Opened("alice"))
                .when(new Deposit(5))
                .thenNoEvents());

        assertThat(error.getMessage()).startsWith("expected no events [pure ✘ | topology ✘]").contains("""
                    # | expected     | actual (pure)
                  ✘ 1 | <unexpected> | Deposited[amount=5]
                """);
    }

    @Test
    void shouldShowStatesWithTheirFirstDifferingComponent() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Opened("alice"), new Deposited(10))
                .when(new Withdraw(4))
                .thenState(open("alice", 5)));

        assertThat(error.getMessage()).startsWith("state mismatch [pure ✘ | topology ✘]").contains("""
                Expecting state:
                  Account[status=OPEN, owner=alice, balance=6]
                to be:
                  Account[status=OPEN, owner=alice, balance=5]

                First difference: state.balance: expected 5 but was 6
                """);
        assertThat(error.getExpected().getStringRepresentation()).isEqualTo(open("alice", 5).toString());
    }

    @Test
    void shouldNameTheFailingUserCodeAsTheProbableCause() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Opened("alice"))
                .when(new Misbehave(Fault.THROW_IN_EVOLVE))
                .thenAccepted());

        assertThat(error.getMessage())
                .startsWith("expected the command to be accepted [pure ✘ | topology ✘]")
                .contains("Expecting result:\n  failed java.lang.ArithmeticException: evolve exploded\nto be:\n  accepted\n")
                .endsWith("Probable cause: the command was failed java.lang.ArithmeticException: evolve exploded\n");
    }

    @Test
    void shouldListEarlierCommandsOfTheScenario() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Opened("alice"))
                .when(new Deposit(5)).thenEvents(new Deposited(5))
                .and()
                .when(new Withdraw(4))
                .thenRejected("INSUFFICIENT_FUNDS"));

        assertThat(error.getMessage()).contains("""
                Scenario
                  given
                    1. Opened[owner=alice]
                  and earlier
                    Deposit[amount=5] (expected version any, command id command-1) → accepted at version 2 with 1 event
                  when
                    Withdraw[amount=4] (expected version any, command id command-2)
                  decision
                    accepted at version 3 with 1 event

                Expecting result:
                  accepted at version 3 with 1 event
                to be:
                  rejected INSUFFICIENT_FUNDS
                """);
    }

    @Test
    void shouldWrapTheMessageOfYourOwnAssertions() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Opened("alice"), new Deposited(10))
                .when(new Withdraw(4))
                .thenState(account -> assertThat(account.balance()).as("balance").isEqualTo(7)));

        assertThat(error.getMessage())
                .startsWith("the state does not satisfy the requirements [pure ✘ | topology ✘]")
                .contains("pure runner: [balance] \nexpected: 7L\n but was: 6L");
        assertThat(error.getExpected().getValue()).isEqualTo("7L");
        assertThat(error.getCause()).isInstanceOf(AssertionError.class);
    }

    @Test
    void shouldStartTheStackTraceAtTheTest() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .givenNothing()
                .when(new Deposit(1))
                .thenAccepted());

        assertThat(error.getStackTrace()[0].getClassName()).startsWith(FailureMessageTest.class.getName());
        assertThat(error.getStackTrace()).noneMatch(frame -> frame.getClassName().startsWith("io.eventfold.testkit.internal.")
                || frame.getClassName().equals(Then.class.getName()) || frame.getClassName().equals(Scenario.class.getName()));
    }

    @Test
    void shouldMarkOnlyThePureRunnerOfAPureFixture() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> AggregateFixture
                .pure(Accounts.TYPE.aggregate())
                .givenNothing()
                .when(new Open("x"))
                .thenVersion(2));

        assertThat(error.getMessage()).startsWith("version mismatch [pure ✘]\n").contains("Expecting version:\n  1\nto be:\n  2\n");
    }
}
