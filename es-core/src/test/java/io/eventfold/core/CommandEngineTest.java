package io.eventfold.core;

import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.*;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandEngineTest {

    private static final String ACCOUNT = "acc-1";
    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    private final CommandEngine<AccountCommand, AccountEvent, Account> engine = CommandEngine.of(new AccountAggregate());

    private Snapshot<Account> fresh() {
        return Snapshot.initial(ACCOUNT, engine.aggregate());
    }

    private Snapshot<Account> openWithBalance(long balance) {
        return new Snapshot<>(ACCOUNT, 2, new Account(Account.Status.OPEN, "alice", balance));
    }

    private static Command<AccountCommand> command(String id, AccountCommand payload, ExpectedVersion expected) {
        return new Command<>(id, ACCOUNT, expected, payload, Map.of());
    }

    private static Command<AccountCommand> command(String id, AccountCommand payload) {
        return command(id, payload, ExpectedVersion.any());
    }

    @Test
    void shouldAcceptAndStampEventsWithContiguousVersions() {
        Snapshot<Account> before = openWithBalance(10);

        Outcome<AccountEvent, Account> outcome = engine.handle(before, command("c1", new DepositInParts(List.of(1L, 2L, 3L))), NOW);

        assertThat(outcome.events()).containsExactly(
                new Event<>(ACCOUNT, 3, "c1", NOW, new Deposited(1)),
                new Event<>(ACCOUNT, 4, "c1", NOW, new Deposited(2)),
                new Event<>(ACCOUNT, 5, "c1", NOW, new Deposited(3)));
        assertThat(outcome.snapshot()).isEqualTo(new Snapshot<>(ACCOUNT, 5, new Account(Account.Status.OPEN, "alice", 16)));
        assertThat(outcome.result()).isEqualTo(new CommandResult.Accepted<>(
                "c1", ACCOUNT, 5, outcome.events(), new Account(Account.Status.OPEN, "alice", 16)));
        assertThat(outcome.changed()).isTrue();
    }

    @Test
    void shouldStartANewAggregateAtVersionOne() {
        Outcome<AccountEvent, Account> outcome = engine.handle(fresh(), command("c1", new Open("alice")), NOW);

        assertThat(outcome.events()).extracting(Event::version).containsExactly(1L);
        assertThat(outcome.snapshot().version()).isEqualTo(1);
        assertThat(outcome.result().version()).isEqualTo(1);
    }

    @Test
    void shouldLeaveVersionAndSnapshotUnchangedWhenAcceptedWithoutEvents() {
        Snapshot<Account> before = openWithBalance(10);

        Outcome<AccountEvent, Account> outcome = engine.handle(before, command("c1", new Deposit(0)), NOW);

        assertThat(outcome.result()).isEqualTo(new CommandResult.Accepted<>("c1", ACCOUNT, 2, List.of(), before.state()));
        assertThat(outcome.events()).isEmpty();
        assertThat(outcome.snapshot()).isSameAs(before);
        assertThat(outcome.changed()).isFalse();
    }

    @Test
    void shouldRejectWithTheAggregatesRejectionAndChangeNothing() {
        Snapshot<Account> before = openWithBalance(10);

        Outcome<AccountEvent, Account> outcome = engine.handle(before, command("c1", new Withdraw(11)), NOW);

        assertThat(outcome.result()).isEqualTo(new CommandResult.Rejected<>(
                "c1", ACCOUNT, 2, new Rejection("INSUFFICIENT_FUNDS", "balance is 10")));
        assertThat(outcome.result().kind()).isEqualTo(CommandResult.Kind.REJECTED);
        assertThat(outcome.events()).isEmpty();
        assertThat(outcome.snapshot()).isSameAs(before);
    }

    @Nested
    class ExpectedVersions {

        static Stream<Arguments> cases() {
            return Stream.of(
                    Arguments.of("any on a new aggregate", 0L, ExpectedVersion.any(), true),
                    Arguments.of("any on an existing aggregate", 2L, ExpectedVersion.any(), true),
                    Arguments.of("noStream on a new aggregate", 0L, ExpectedVersion.noStream(), true),
                    Arguments.of("noStream on an existing aggregate", 2L, ExpectedVersion.noStream(), false),
                    Arguments.of("exactly the current version", 2L, ExpectedVersion.exactly(2), true),
                    Arguments.of("exactly an older version", 2L, ExpectedVersion.exactly(1), false),
                    Arguments.of("exactly a newer version", 2L, ExpectedVersion.exactly(3), false),
                    Arguments.of("exactly 0 on a new aggregate", 0L, ExpectedVersion.exactly(0), true));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("cases")
        void shouldDecideOnlyWhenTheExpectedVersionMatches(String name, long version, ExpectedVersion expected, boolean decided) {
            Snapshot<Account> before = version == 0 ? fresh() : openWithBalance(10);
            AccountCommand payload = version == 0 ? new Open("alice") : new Deposit(5);

            Outcome<AccountEvent, Account> outcome = engine.handle(before, command("c1", payload, expected), NOW);

            if (decided) {
                assertThat(outcome.result()).isInstanceOf(CommandResult.Accepted.class);
                assertThat(outcome.result().version()).isEqualTo(version + 1);
            } else {
                assertThat(outcome.result()).isEqualTo(new CommandResult.Conflict<>("c1", ACCOUNT, version, expected));
                assertThat(outcome.events()).isEmpty();
                assertThat(outcome.snapshot()).isSameAs(before);
            }
        }

        @Test
        void shouldReportAConflictBeforeAskingTheAggregate() {
            Snapshot<Account> before = openWithBalance(10);

            Outcome<AccountEvent, Account> outcome = engine.handle(
                    before, command("c1", new Misbehave(AccountCommand.Fault.THROW_IN_DECIDE), ExpectedVersion.exactly(7)), NOW);

            assertThat(outcome.result()).isEqualTo(new CommandResult.Conflict<>("c1", ACCOUNT, 2, ExpectedVersion.exactly(7)));
        }
    }

    @Nested
    class MisbehavingUserCode {

        static Stream<Arguments> faults() {
            return Stream.of(
                    Arguments.of(AccountCommand.Fault.THROW_IN_DECIDE, "java.lang.IllegalStateException", "decide exploded"),
                    Arguments.of(AccountCommand.Fault.NULL_DECISION, "java.lang.NullPointerException",
                            "AccountAggregate.decide returned null for Misbehave"),
                    Arguments.of(AccountCommand.Fault.THROW_IN_EVOLVE, "java.lang.ArithmeticException", "evolve exploded"),
                    Arguments.of(AccountCommand.Fault.NULL_STATE, "java.lang.NullPointerException",
                            "AccountAggregate.evolve returned null for Nullified"),
                    Arguments.of(AccountCommand.Fault.STACK_OVERFLOW, "java.lang.StackOverflowError", ""));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("faults")
        void shouldTurnFaultsIntoFailedResultsAndChangeNothing(AccountCommand.Fault fault, String errorType, String message) {
            Snapshot<Account> before = openWithBalance(10);

            Outcome<AccountEvent, Account> outcome = engine.handle(before, command("c1", new Misbehave(fault)), NOW);

            assertThat(outcome.result()).isEqualTo(new CommandResult.Failed<>("c1", ACCOUNT, 2, errorType, message));
            assertThat(outcome.result().kind()).isEqualTo(CommandResult.Kind.FAILED);
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.snapshot()).isSameAs(before);
        }

        @Test
        void shouldFailWhenDecideReturnsANullEventInAList() {
            Aggregate<String, String, String> aggregate = Aggregate.of("",
                    (command, state) -> Decision.accept(java.util.Arrays.asList("a", null)),
                    (state, event) -> state + event);

            Outcome<String, String> outcome = CommandEngine.of(aggregate).handle(
                    Snapshot.initial("x", aggregate), Command.of("x", "go").withCommandId("c1"), NOW);

            assertThat(outcome.result()).isInstanceOfSatisfying(CommandResult.Failed.class, failed -> {
                assertThat(failed.errorType()).isEqualTo("java.lang.NullPointerException");
                assertThat(failed.message()).isEqualTo("events[1] must not be null");
            });
        }
    }

    @Nested
    class Arguments_ {

        @Test
        void shouldRefuseASnapshotOfAnotherAggregate() {
            Snapshot<Account> other = new Snapshot<>("acc-2", 0, Account.NEW);

            assertThatThrownBy(() -> engine.handle(other, command("c9", new Open("bob")), NOW))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("snapshot is for aggregate 'acc-2' but command c9 is for aggregate 'acc-1'");
        }

        @Test
        void shouldNameTheMissingArgument() {
            assertThatThrownBy(() -> engine.handle(null, command("c1", new Open("a")), NOW)).hasMessage("current must not be null");
            assertThatThrownBy(() -> engine.handle(fresh(), null, NOW)).hasMessage("command must not be null");
            assertThatThrownBy(() -> engine.handle(fresh(), command("c1", new Open("a")), null)).hasMessage("now must not be null");
            assertThatThrownBy(() -> CommandEngine.of(null)).hasMessage("aggregate must not be null");
        }
    }
}
