package io.eventfold.core;

import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.*;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CommandEnginePropertiesTest {

    private static final String ACCOUNT = "acc-1";
    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    private final AccountAggregate aggregate = new AccountAggregate();
    private final CommandEngine<AccountCommand, AccountEvent, Account> engine = CommandEngine.of(aggregate);

    @Property
    void replayingAPrefixThenTheRestEqualsReplayingTheWhole(
            @ForAll("histories") List<AccountEvent> events, @ForAll @IntRange(max = 40) int cut) {
        int split = Math.min(cut, events.size());

        Account stepwise = aggregate.fold(aggregate.replay(events.subList(0, split)), events.subList(split, events.size()));

        assertThat(stepwise).isEqualTo(aggregate.replay(events));
    }

    @Property
    void versionsAreContiguousAndTheSnapshotIsTheReplayOfAllEvents(@ForAll("commandSequences") List<Command<AccountCommand>> commands) {
        List<Outcome<AccountEvent, Account>> outcomes = run(commands);

        List<Event<AccountEvent>> history = outcomes.stream().flatMap(outcome -> outcome.events().stream()).toList();
        assertThat(history).extracting(Event::version)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, history.size()).boxed().toList());
        Snapshot<Account> last = outcomes.isEmpty() ? Snapshot.initial(ACCOUNT, aggregate) : outcomes.get(outcomes.size() - 1).snapshot();
        assertThat(last.version()).isEqualTo(history.size());
        assertThat(last.state()).isEqualTo(aggregate.replay(history.stream().map(Event::payload).toList()));
    }

    @Property
    void everyResultCarriesTheVersionOfTheSnapshotAfterIt(@ForAll("commandSequences") List<Command<AccountCommand>> commands) {
        for (Outcome<AccountEvent, Account> outcome : run(commands)) {
            Statistics.label("result kind").collect(outcome.result().kind());

            assertThat(outcome.result().version()).isEqualTo(outcome.snapshot().version());
        }

        // The generator must reach every kind of result often enough for these properties to mean something.
        Statistics.label("result kind").coverage(coverage -> {
            for (CommandResult.Kind kind : CommandResult.Kind.values()) {
                coverage.check(kind).percentage(percent -> percent >= 3);
            }
        });
    }

    @Property
    void onlyAnAcceptedCommandWithEventsChangesTheSnapshot(@ForAll("commandSequences") List<Command<AccountCommand>> commands) {
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
    }

    @Property
    void theEngineIsDeterministic(@ForAll("commandSequences") List<Command<AccountCommand>> commands) {
        List<Outcome<AccountEvent, Account>> first = run(commands);
        List<Outcome<AccountEvent, Account>> second = CommandEnginePropertiesTest.run(CommandEngine.of(new AccountAggregate()), commands);

        assertThat(second).isEqualTo(first);
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

    @Provide
    Arbitrary<List<AccountEvent>> histories() {
        Arbitrary<AccountEvent> event = Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofLength(3).map(Opened::new),
                Arbitraries.longs().between(1, 100).map(Deposited::new),
                Arbitraries.longs().between(1, 100).map(Withdrawn::new),
                Arbitraries.just(new Closed()));
        return event.list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Command<AccountCommand>>> commandSequences() {
        Arbitrary<AccountCommand> payload = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.strings().alpha().ofLength(3).map(Open::new)),
                Tuple.of(6, Arbitraries.longs().between(-2, 50).map(Deposit::new)),
                Tuple.of(2, Arbitraries.longs().between(1, 20).list().ofMaxSize(3).map(DepositInParts::new)),
                Tuple.of(4, Arbitraries.longs().between(-1, 60).map(Withdraw::new)),
                Tuple.of(1, Arbitraries.just(new Close())),
                Tuple.of(2, Arbitraries.of(Fault.THROW_IN_DECIDE, Fault.NULL_DECISION, Fault.THROW_IN_EVOLVE, Fault.NULL_STATE)
                        .map(Misbehave::new)));
        Arbitrary<ExpectedVersion> expected = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(ExpectedVersion.any())),
                Tuple.of(1, Arbitraries.just(ExpectedVersion.noStream())),
                Tuple.of(3, Arbitraries.longs().between(0, 12).map(ExpectedVersion::exactly)));
        Arbitrary<Command<AccountCommand>> command = Combinators.combine(
                        Arbitraries.strings().numeric().ofLength(8), expected, payload)
                .as((id, version, body) -> new Command<>("c-" + id, ACCOUNT, version, body, Map.of()));
        return command.list().ofMaxSize(30);
    }
}
