package io.eventfold.kafka.audit;

import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.internal.StoredEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The events topic is kept forever: the audit folds it one event at a time and keeps one entry per aggregate. */
class AggregateFoldsTest {

    private static final Instant AT = Instant.parse("2026-11-22T08:00:00Z");

    private final AggregateFolds<AccountEvent, Account> folds = new AggregateFolds<>(new AccountAggregate());
    private final Violations violations = new Violations();

    @Test
    void shouldKeepOneEntryPerAggregateWhateverTheNumberOfEvents() {
        int aggregates = 3;
        int eventsEach = 20_000;
        for (int a = 0; a < aggregates; a++) {
            folds.event(new Event<>("acc-" + a, 1, "open-" + a, AT, new AccountEvent.Opened("owner-" + a)), violations);
        }
        for (int version = 2; version <= eventsEach; version++) {
            for (int a = 0; a < aggregates; a++) {
                folds.event(new Event<>("acc-" + a, version, "c-" + a + "-" + version, AT, new AccountEvent.Deposited(a + 1)), violations);
            }
        }

        assertThat(folds.events()).isEqualTo((long) aggregates * eventsEach);
        assertThat(folds.aggregates()).isEqualTo(aggregates);
        for (int a = 0; a < aggregates; a++) {
            assertThat(folds.state("acc-" + a)).isEqualTo(new Account(Account.Status.OPEN, "owner-" + a, (long) (a + 1) * (eventsEach - 1)));
            folds.snapshot(new Snapshot<>("acc-" + a, eventsEach, folds.state("acc-" + a)));
        }
        folds.finish(violations);
        assertThat(violations.kept()).isEmpty();
    }

    @Test
    void shouldReportTheFirstVersionOutOfPlaceOnceAndTheSnapshotAgainstTheFold() {
        folds.event(new Event<>("acc-1", 1, "c1", AT, new AccountEvent.Opened("Ada")), violations);
        folds.event(new Event<>("acc-1", 3, "c2", AT, new AccountEvent.Deposited(5)), violations);
        folds.event(new Event<>("acc-1", 3, "c3", AT, new AccountEvent.Deposited(5)), violations);
        folds.event(new Event<>("acc-2", 1, "c4", AT, new AccountEvent.Opened("Bob")), violations);
        folds.snapshot(new Snapshot<>("acc-1", 3, new Account(Account.Status.OPEN, "Ada", 5)));
        folds.snapshot(new Snapshot<>("acc-1", 2, new Account(Account.Status.OPEN, "Ada", 5)));  // the latest counts
        folds.snapshot(new Snapshot<>("acc-9", 4, Account.NEW));                                  // no events: not checked
        folds.finish(violations);

        assertThat(violations.kept()).containsExactlyInAnyOrder(
                "aggregate acc-1: event #2 has version 3, expected 2 (command c2)",
                "aggregate acc-1: latest snapshot is version 2 but the last event is version 3",
                "aggregate acc-1: the state is not the replay of its 3 events",
                "aggregate acc-2 has 1 events but no snapshot");
    }

    @Test
    void shouldReportAHistoryThatCannotBeReplayed() {
        folds.event(new Event<>("acc-1", 1, "c1", AT, new AccountEvent.Opened("Ada")), violations);
        folds.event(new Event<>("acc-1", 2, "c2", AT, new AccountEvent.Poisoned()), violations);
        folds.event(new Event<>("acc-1", 3, "c3", AT, new AccountEvent.Deposited(1)), violations);
        folds.snapshot(new Snapshot<>("acc-1", 3, Account.NEW));
        folds.finish(violations);

        assertThat(violations.kept()).singleElement().asString()
                .startsWith("aggregate acc-1: its 3 events cannot be replayed: java.lang.ArithmeticException");
    }

    @Test
    void shouldAcceptASnapshotOfAnotherStateVersionThatALaterOneReplacesButNotAsTheLatest() {
        folds.event(new Event<>("acc-1", 1, "c1", AT, new AccountEvent.Opened("Ada")), violations);
        folds.event(new Event<>("acc-2", 1, "c2", AT, new AccountEvent.Opened("Bob")), violations);
        folds.otherStateVersion("acc-1", 1, 2);
        folds.snapshot(new Snapshot<>("acc-1", 1, new Account(Account.Status.OPEN, "Ada", 0)));   // rebuilt
        folds.snapshot(new Snapshot<>("acc-2", 1, new Account(Account.Status.OPEN, "Bob", 0)));
        folds.otherStateVersion("acc-2", 1, 2);                                                   // the latest is stale
        folds.finish(violations);

        assertThat(violations.kept()).containsExactly(
                "aggregate acc-2: latest snapshot is of state version 1 but the current state version is 2 (not rebuilt)");
    }

    @Test
    void shouldCountAStoredRecordOnceAndFoldEachOfItsEvents() {
        folds.record(new StoredEvent<>("acc-1", 1, "c1", List.of(
                new Event<>("acc-1", 1, "c1", AT, new AccountEvent.Opened("Ada")),
                new Event<>("acc-1", 1, "c1", AT, new AccountEvent.Deposited(5)))), violations);
        folds.record(new StoredEvent<>("acc-1", 2, "c2", List.of()), violations);                 // dropped
        folds.record(new StoredEvent<>("acc-1", 3, "c3", List.of(
                new Event<>("acc-1", 3, "c3", AT, new AccountEvent.Deposited(2)))), violations);
        folds.snapshot(new Snapshot<>("acc-1", 3, new Account(Account.Status.OPEN, "Ada", 7)));
        folds.finish(violations);

        assertThat(folds.events()).isEqualTo(3);
        assertThat(violations.kept()).isEmpty();
    }
}
