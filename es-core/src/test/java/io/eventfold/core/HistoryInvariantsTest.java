package io.eventfold.core;

import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.Deposited;
import io.eventfold.core.account.AccountEvent.Opened;
import io.eventfold.core.account.AccountEvent.Poisoned;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryInvariantsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");
    private final AccountAggregate aggregate = new AccountAggregate();

    private static Event<AccountEvent> event(long version, AccountEvent payload) {
        return new Event<>("acc-1", version, "c" + version, NOW, payload);
    }

    @Test
    void shouldAcceptVersionsFromTheFirstOnWithoutGaps() {
        assertThat(HistoryInvariants.versionsContiguous("acc-1", List.of(event(1, new Opened("Ada")), event(2, new Deposited(5))), 1))
                .isEmpty();
        assertThat(HistoryInvariants.versionsContiguous("acc-1", List.of(event(4, new Deposited(5))), 4)).isEmpty();
        assertThat(HistoryInvariants.versionsContiguous("acc-1", List.of(), 1)).isEmpty();
    }

    @Test
    void shouldNameTheFirstEventOutOfPlace() {
        assertThat(HistoryInvariants.versionsContiguous("acc-1", List.of(event(1, new Opened("Ada")), event(3, new Deposited(5))), 1))
                .contains("aggregate acc-1: event #2 has version 3, expected 2 (command c3)");
        assertThat(HistoryInvariants.versionsContiguous("acc-1", List.of(event(1, new Opened("Ada")), event(1, new Deposited(5))), 1))
                .contains("aggregate acc-1: event #2 has version 1, expected 2 (command c1)");
    }

    @Test
    void shouldCompareAStateWithTheReplayOfItsHistory() {
        List<AccountEvent> history = List.of(new Opened("Ada"), new Deposited(5));

        assertThat(HistoryInvariants.stateIsReplay(aggregate, "acc-1", history, new Account(Account.Status.OPEN, "Ada", 5))).isEmpty();
        assertThat(HistoryInvariants.stateIsReplay(aggregate, "acc-1", history, new Account(Account.Status.OPEN, "Ada", 6)))
                .contains("aggregate acc-1: the state is not the replay of its 2 events");
    }

    @Test
    void shouldReportAHistoryThatCannotBeReplayed() {
        assertThat(HistoryInvariants.stateIsReplay(aggregate, "acc-1", List.of(new Opened("Ada"), new Poisoned()), Account.NEW))
                .hasValueSatisfying(violation -> assertThat(violation)
                        .startsWith("aggregate acc-1: its 2 events cannot be replayed: java.lang.ArithmeticException"));
    }

    @Test
    void shouldExpectTheLatestSnapshotAtTheLastEvent() {
        List<Event<AccountEvent>> events = List.of(event(1, new Opened("Ada")), event(2, new Deposited(5)));

        assertThat(HistoryInvariants.snapshotAtLastEvent("acc-1", new Snapshot<>("acc-1", 2, Account.NEW), events)).isEmpty();
        assertThat(HistoryInvariants.snapshotAtLastEvent("acc-1", new Snapshot<>("acc-1", 1, Account.NEW), events))
                .contains("aggregate acc-1: latest snapshot is version 1 but the last event is version 2");
        assertThat(HistoryInvariants.snapshotAtLastEvent("acc-1", null, events))
                .contains("aggregate acc-1 has 2 events but no snapshot");
        assertThat(HistoryInvariants.snapshotAtLastEvent("acc-1", null, List.of())).isEmpty();
    }

    @Test
    void shouldExpectExactlyOneFinalResultPerCommand() {
        CommandResult.Kind failed = CommandResult.Kind.FAILED;
        CommandResult.Kind rejected = CommandResult.Kind.REJECTED;

        assertThat(HistoryInvariants.oneResult("acc-1", "c1", List.of(rejected))).isEmpty();
        assertThat(HistoryInvariants.oneResult("acc-1", "c1", List.of(failed))).isEmpty();
        assertThat(HistoryInvariants.oneResult("acc-1", "c1", List.of(failed, failed, rejected))).isEmpty();
        assertThat(HistoryInvariants.oneResult("acc-1", "c1", List.of())).contains("command c1 for acc-1 has no result");
        assertThat(HistoryInvariants.oneResult("acc-1", "c1", List.of(rejected, rejected)))
                .contains("command c1 for acc-1 has 2 results: [REJECTED, REJECTED]");
        assertThat(HistoryInvariants.oneResult("acc-1", "c1", List.of(rejected, failed)))
                .contains("command c1 for acc-1 has a result after its final one: [REJECTED, FAILED]");
    }

    @Test
    void shouldCountTheFinalResultOrElseTheLastFailure() {
        CommandResult<AccountEvent, Account> failed = new CommandResult.Failed<>("c1", "acc-1", 0, "java.lang.IllegalStateException", "bug");
        CommandResult<AccountEvent, Account> rejected = new CommandResult.Rejected<>("c1", "acc-1", 0, new Rejection("NO", "no"));

        assertThat(HistoryInvariants.finalResult(List.of(failed, rejected))).isSameAs(rejected);
        assertThat(HistoryInvariants.finalResult(List.of(failed, failed))).isSameAs(failed);
        assertThat(HistoryInvariants.finalResultIndex(List.of(CommandResult.Kind.FAILED, CommandResult.Kind.REJECTED,
                CommandResult.Kind.FAILED))).isEqualTo(1);
        assertThat(HistoryInvariants.finalResultIndex(List.of(CommandResult.Kind.FAILED, CommandResult.Kind.FAILED))).isEqualTo(1);
    }

    @Test
    void shouldCheckAHistoryReadOneEventAtATimeAsAWholeOne() {
        List<Event<AccountEvent>> events = List.of(event(1, new Opened("Ada")), event(3, new Deposited(5)));
        Account folded = aggregate.replay(events.stream().map(Event::payload).toList());

        assertThat(HistoryInvariants.versionInPlace("acc-1", 2, events.get(1), 2))
                .isEqualTo(HistoryInvariants.versionsContiguous("acc-1", events, 1));
        assertThat(HistoryInvariants.stateIsReplay("acc-1", 2, folded, new Account(Account.Status.OPEN, "Ada", 6)))
                .isEqualTo(HistoryInvariants.stateIsReplay(aggregate, "acc-1", events.stream().map(Event::payload).toList(),
                        new Account(Account.Status.OPEN, "Ada", 6)));
        assertThat(HistoryInvariants.snapshotAtLastEvent("acc-1", new Snapshot<>("acc-1", 2, folded), 2, 3))
                .isEqualTo(HistoryInvariants.snapshotAtLastEvent("acc-1", new Snapshot<>("acc-1", 2, folded), events));
    }

    @Test
    void shouldExpectTheEventsAResultAnnounces() {
        CommandResult<AccountEvent, Account> accepted = new CommandResult.Accepted<>("c1", "acc-1", 2,
                List.of(event(1, new Opened("Ada")), event(2, new Deposited(5))), new Account(Account.Status.OPEN, "Ada", 5));
        CommandResult<AccountEvent, Account> rejected = new CommandResult.Rejected<>("c2", "acc-1", 2, new Rejection("NO", "no"));

        assertThat(HistoryInvariants.eventsMatchResult(accepted, 2)).isEmpty();
        assertThat(HistoryInvariants.eventsMatchResult(accepted, 1))
                .contains("command c1 for acc-1 (ACCEPTED) has 1 events on the events topic, its result says 2");
        assertThat(HistoryInvariants.eventsMatchResult(rejected, 0)).isEmpty();
        assertThat(HistoryInvariants.eventsMatchResult(rejected, 1))
                .contains("command c2 for acc-1 (REJECTED) has 1 events on the events topic, its result says 0");
        assertThat(HistoryInvariants.eventsAnnounced(accepted)).isEqualTo(2);
        assertThat(HistoryInvariants.eventsAnnounced(new CommandResult.AlreadyAccepted<>("c1", "acc-1", 2, 2))).isZero();
    }
}
