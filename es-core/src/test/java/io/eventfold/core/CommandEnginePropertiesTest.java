package io.eventfold.core;

import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.*;
import io.eventfold.core.testing.Coverage;
import io.eventfold.core.testing.Gen;
import io.eventfold.core.testing.PropertyRunner;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the command engine under random histories and command sequences, 1000 tries
 * each ({@link PropertyRunner#DEFAULT_TRIES}).
 */
class CommandEnginePropertiesTest {

    private static final String ACCOUNT = "acc-1";
    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    private final AccountAggregate aggregate = new AccountAggregate();
    private final CommandEngine<AccountCommand, AccountEvent, Account> engine = CommandEngine.of(aggregate);

    @Test
    void replayingAPrefixThenTheRestEqualsReplayingTheWhole() {
        PropertyRunner.forAll(historiesWithCut()).check(input -> {
            List<AccountEvent> events = input.events();
            int split = Math.min(input.cut(), events.size());

            Account stepwise = aggregate.fold(aggregate.replay(events.subList(0, split)), events.subList(split, events.size()));

            assertThat(stepwise).isEqualTo(aggregate.replay(events));
        });
    }

    @Test
    void versionsAreContiguousAndTheSnapshotIsTheReplayOfAllEvents() {
        PropertyRunner.forAll(commandSequences()).check(commands -> {
            List<Outcome<AccountEvent, Account>> outcomes = run(commands);

            // The invariants the log audit and the test kit check, on the pure engine's history.
            List<Event<AccountEvent>> history = outcomes.stream().flatMap(outcome -> outcome.events().stream()).toList();
            assertThat(HistoryInvariants.versionsContiguous(ACCOUNT, history, 1)).isEmpty();
            Snapshot<Account> last = outcomes.isEmpty() ? Snapshot.initial(ACCOUNT, aggregate) : outcomes.get(outcomes.size() - 1).snapshot();
            assertThat(HistoryInvariants.snapshotAtLastEvent(ACCOUNT, last, history)).isEmpty();
            assertThat(HistoryInvariants.stateIsReplay(aggregate, ACCOUNT, history.stream().map(Event::payload).toList(), last.state()))
                    .isEmpty();
            for (Outcome<AccountEvent, Account> outcome : outcomes) {
                assertThat(HistoryInvariants.eventsMatchResult(outcome.result(), outcome.events().size())).isEmpty();
            }
        });
    }

    @Test
    void everyResultCarriesTheVersionOfTheSnapshotAfterIt() {
        Coverage resultKinds = PropertyRunner.forAll(commandSequences()).checkWithCoverage((commands, coverage) -> {
            for (Outcome<AccountEvent, Account> outcome : run(commands)) {
                coverage.collect(outcome.result().kind());

                assertThat(outcome.result().version()).isEqualTo(outcome.snapshot().version());
            }
        });

        // The generator must reach every kind of result often enough for these properties to mean something:
        // each kind is at least 3% of all results.
        for (CommandResult.Kind kind : CommandResult.Kind.values()) {
            resultKinds.requireAtLeast(kind, 3);
        }
    }

    @Test
    void onlyAnAcceptedCommandWithEventsChangesTheSnapshot() {
        PropertyRunner.forAll(commandSequences()).check(commands -> {
            Snapshot<Account> current = Snapshot.initial(ACCOUNT, aggregate);
            for (Command<AccountCommand> command : commands) {
                Outcome<AccountEvent, Account> outcome = engine.handle(current, command, NOW);

                boolean acceptedWithEvents = outcome.result() instanceof CommandResult.Accepted<AccountEvent, Account> accepted
                        && !accepted.events().isEmpty();
                if (acceptedWithEvents) {
                    assertThat(outcome.snapshot().version()).isEqualTo(current.version() + outcome.events().size());
                } else {
                    assertThat(outcome.snapshot()).isSameAs(current);
                    assertThat(outcome.events()).isEmpty();
                }
                current = outcome.snapshot();
            }
        });
    }

    @Test
    void theEngineIsDeterministic() {
        PropertyRunner.forAll(commandSequences()).check(commands -> {
            List<Outcome<AccountEvent, Account>> first = run(commands);
            List<Outcome<AccountEvent, Account>> second = CommandEnginePropertiesTest.run(CommandEngine.of(new AccountAggregate()), commands);

            assertThat(second).isEqualTo(first);
        });
    }

    private List<Outcome<AccountEvent, Account>> run(List<Command<AccountCommand>> commands) {
        return run(engine, commands);
    }

    private static List<Outcome<AccountEvent, Account>> run(
            CommandEngine<AccountCommand, AccountEvent, Account> engine, List<Command<AccountCommand>> commands) {
        List<Outcome<AccountEvent, Account>> outcomes = new ArrayList<>();
        Snapshot<Account> current = Snapshot.initial(ACCOUNT, engine.aggregate());
        for (Command<AccountCommand> command : commands) {
            Outcome<AccountEvent, Account> outcome = engine.handle(current, command, NOW);
            outcomes.add(outcome);
            current = outcome.snapshot();
        }
        return outcomes;
    }

    /** A history and where to cut it; the cut may lie beyond the end. */
    private record HistoryWithCut(List<AccountEvent> events, int cut) {
    }

    private static Gen<HistoryWithCut> historiesWithCut() {
        Gen<AccountEvent> event = Gen.oneOf(
                Gen.alpha(3).map(Opened::new),
                Gen.longs(1, 100).map(Deposited::new),
                Gen.longs(1, 100).map(Withdrawn::new),
                Gen.constant(new Closed()));
        Gen<List<AccountEvent>> histories = event.list(0, 40);
        Gen<Integer> cuts = Gen.ints(0, 40);
        return random -> new HistoryWithCut(histories.next(random), cuts.next(random));
    }

    private static Gen<List<Command<AccountCommand>>> commandSequences() {
        Gen<AccountCommand> payload = Gen.frequency(
                Gen.weighted(2, Gen.alpha(3).map(Open::new)),
                Gen.weighted(6, Gen.longs(-2, 50).map(Deposit::new)),
                Gen.weighted(2, Gen.longs(1, 20).list(0, 3).map(DepositInParts::new)),
                Gen.weighted(4, Gen.longs(-1, 60).map(Withdraw::new)),
                Gen.weighted(1, Gen.constant(new Close())),
                Gen.weighted(2, Gen.of(Fault.THROW_IN_DECIDE, Fault.NULL_DECISION, Fault.THROW_IN_EVOLVE, Fault.NULL_STATE)
                        .map(Misbehave::new)));
        Gen<ExpectedVersion> expected = Gen.frequency(
                Gen.weighted(6, Gen.constant(ExpectedVersion.any())),
                Gen.weighted(1, Gen.constant(ExpectedVersion.noStream())),
                Gen.weighted(3, Gen.longs(0, 12).map(ExpectedVersion::exactly)));
        Gen<String> ids = Gen.numeric(8);
        Gen<Command<AccountCommand>> command = random -> new Command<>(
                "c-" + ids.next(random), ACCOUNT, expected.next(random), payload.next(random), Map.of());
        return command.list(0, 30);
    }
}
