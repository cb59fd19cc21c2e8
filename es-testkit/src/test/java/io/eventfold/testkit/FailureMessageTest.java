package io.eventfold.testkit;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.*;
import io.eventfold.testkit.internal.RunnerOutcome;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.List;
import java.util.Map;

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

    @Test
    void shouldNameEveryEventWhoseMetadataDiffersWithItsVersion() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Opened("alice"))
                .withMetadata(Map.of("user", "alice"))
                .when(new DepositInParts(List.of(2L, 3L)))
                .thenEventMetadata(Map.of("user", "alice", "tenant", "acme")));

        assertThat(error.getMessage()).isEqualTo("""
                event metadata mismatch [pure ✘ | topology ✘]

                Scenario
                  given
                    1. Opened[owner=alice]
                  when
                    DepositInParts[amounts=[2, 3]] (expected version any, command id command-1, metadata {user=alice})
                  decision
                    accepted at version 3 with 2 events

                Expecting the metadata of every event to be:
                  {tenant=acme, user=alice}
                but (pure):
                  ✘ event #1 (version 2): {user=alice}
                  ✘ event #2 (version 3): {user=alice}

                First difference: event #1 (version 2) metadata[tenant]: expected "acme" but was null
                """);
        assertThat(error.getExpected().getStringRepresentation()).isEqualTo("{tenant=acme, user=alice}");
        assertThat(error.getActual().getStringRepresentation()).isEqualTo("{user=alice}");
    }

    @Test
    void shouldMissEventMetadataWhenTheCommandHasNoEvents() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Opened("alice"))
                .when(new Withdraw(5), Map.of("user", "alice"))
                .thenEventMetadata(Map.of("user", "alice")));

        assertThat(error.getMessage()).isEqualTo("""
                event metadata mismatch [pure ✘ | topology ✘]

                Scenario
                  given
                    1. Opened[owner=alice]
                  when
                    Withdraw[amount=5] (expected version any, command id command-1, metadata {user=alice})
                  decision
                    rejected INSUFFICIENT_FUNDS: balance is 0

                Expecting the metadata of every event to be:
                  {user=alice}
                but the command has no events (pure)

                Probable cause: the command was rejected INSUFFICIENT_FUNDS: balance is 0
                """);
    }

    @Test
    void shouldNameTheEventWhoseMetadataMissesYourOwnAssertions() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Opened("alice"))
                .when(new Deposit(5), Map.of("user", "alice"))
                .thenEventMetadata(metadata -> assertThat(metadata.get("user")).as("user").isEqualTo("bob")));

        assertThat(error.getMessage()).isEqualTo("""
                the event metadata does not satisfy the requirements [pure ✘ | topology ✘]

                Scenario
                  given
                    1. Opened[owner=alice]
                  when
                    Deposit[amount=5] (expected version any, command id command-1, metadata {user=alice})
                  decision
                    accepted at version 2 with 1 event

                pure runner: event #1 (version 2) metadata {user=alice}:
                [user]\s
                expected: "bob"
                 but was: "alice"
                """);
        assertThat(error.getExpected().getValue()).isEqualTo("\"bob\"");
        assertThat(error.getCause()).isInstanceOf(AssertionError.class);
    }

    @Test
    void shouldMissYourOwnMetadataAssertionsWhenTheCommandHasNoEvents() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Opened("alice"))
                .when(new Withdraw(5))
                .thenEventMetadata(metadata -> { }));

        assertThat(error.getMessage()).isEqualTo("""
                the event metadata does not satisfy the requirements [pure ✘ | topology ✘]

                Scenario
                  given
                    1. Opened[owner=alice]
                  when
                    Withdraw[amount=5] (expected version any, command id command-1)
                  decision
                    rejected INSUFFICIENT_FUNDS: balance is 0

                pure runner: the command has no events, so no metadata to check

                Probable cause: the command was rejected INSUFFICIENT_FUNDS: balance is 0
                """);
    }

    @Test
    void shouldShowTheCorrelationIdOfEveryEvent() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Opened("alice"))
                .when(new DepositInParts(List.of(2L, 3L)))
                .thenCorrelationId("order-7"));

        assertThat(error.getMessage()).isEqualTo("""
                correlation id mismatch [pure ✘ | topology ✘]

                Scenario
                  given
                    1. Opened[owner=alice]
                  when
                    DepositInParts[amounts=[2, 3]] (expected version any, command id command-1)
                  decision
                    accepted at version 3 with 2 events

                Expecting the correlation id of every event to be:
                  "order-7"
                but (pure):
                  ✘ event #1 (version 2): "command-1"
                  ✘ event #2 (version 3): "command-1"

                First difference: event #1 (version 2) correlation id: expected "order-7" but was "command-1"
                """);
        assertThat(error.getExpected().getStringRepresentation()).isEqualTo("order-7");
        assertThat(error.getActual().getStringRepresentation()).isEqualTo("command-1");
    }

    @Test
    void shouldNameTheRunnerWhoseEventsLostTheirMetadataOrCorrelationId() {
        Event<AccountEvent> kept = new Event<>("account-1", 2, "command-1", AggregateFixture.DEFAULT_START, new Deposited(5),
                "order-7", Map.of("user", "alice"));
        Event<AccountEvent> lost = new Event<>("account-1", 2, "command-1", AggregateFixture.DEFAULT_START, new Deposited(5));
        Account state = open("alice", 5);
        Then<AccountCommand, AccountEvent, Account> then = new Then<>(null, List.of(
                new RunnerOutcome<>("pure", new CommandResult.Accepted<>("command-1", "account-1", 2, List.of(kept), state),
                        List.of(kept), state, 2, false),
                new RunnerOutcome<>("topology", new CommandResult.Accepted<>("command-1", "account-1", 2, List.of(lost), state),
                        List.of(lost), state, 2, false)), "Scenario\n", List.of());

        AssertionFailedError metadata = catchThrowableOfType(AssertionFailedError.class,
                () -> then.thenEventMetadata(Map.of("user", "alice")));
        assertThat(metadata.getMessage()).isEqualTo("""
                event metadata mismatch [pure ✔ | topology ✘]

                Scenario

                Expecting the metadata of every event to be:
                  {user=alice}
                but (topology):
                  ✘ event #1 (version 2): {}

                First difference: event #1 (version 2) metadata[user]: expected "alice" but was null
                """);

        AssertionFailedError own = catchThrowableOfType(AssertionFailedError.class,
                () -> then.thenEventMetadata(entries -> assertThat(entries).containsKey("user")));
        assertThat(own.getMessage()).startsWith("the event metadata does not satisfy the requirements [pure ✔ | topology ✘]")
                .contains("topology runner: event #1 (version 2) metadata {}:\nExpecting actual:\n  {}\nto contain key:\n  \"user\"");

        AssertionFailedError correlation = catchThrowableOfType(AssertionFailedError.class, () -> then.thenCorrelationId("order-7"));
        assertThat(correlation.getMessage()).startsWith("correlation id mismatch [pure ✔ | topology ✘]")
                .contains("but (topology):\n  ✘ event #1 (version 2): \"command-1\"\n");
    }
}
