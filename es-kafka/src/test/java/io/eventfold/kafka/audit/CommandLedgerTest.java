package io.eventfold.kafka.audit;

import io.eventfold.core.CommandResult.Kind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The window of one partition: which command records and events are held to "has a result". */
class CommandLedgerTest {

    private final CommandLedger ledger = new CommandLedger("acc-commands", 0);
    private final AuditTally tally = new AuditTally();
    private final List<String> violations = new ArrayList<>();

    @Test
    void shouldCheckEveryRecordWhenTheResultsPartitionLostNothing() {
        ledger.result("acc-1", "c2", Kind.ACCEPTED, 1, false);
        ledger.resultsTrimmed(false);
        ledger.command(0, "acc-1", "c1");
        ledger.command(1, "acc-1", "c2");
        ledger.event("acc-1", "c0", violations);
        ledger.event("acc-1", "c2", violations);
        ledger.finish(tally);

        assertThat(violations).containsExactly("events of command c0 for acc-1 but no result");
        assertThat(tally.violations()).containsExactly("command c1 for acc-1 has no result");
        assertThat(tally.commands).isEqualTo(2);
        assertThat(tally.commandsOutsideWindow).isZero();
        assertThat(tally.eventsOutsideWindow).isZero();
    }

    @Test
    void shouldCountWhatPrecedesTheFirstRecordWithAResultAsOutsideTheWindow() {
        ledger.result("acc-1", "c3", Kind.ACCEPTED, 1, false);
        ledger.result("acc-2", "c4", Kind.REJECTED, 0, false);
        ledger.resultsTrimmed(true);
        ledger.command(10, "acc-1", "c1");    // results deleted
        ledger.command(11, "acc-2", "c2");
        ledger.command(12, "acc-1", "c3");    // the window starts here
        ledger.command(13, "acc-2", "c4");
        ledger.command(14, "acc-2", "c5");    // inside, and no result: lost
        ledger.event("acc-1", "c1", violations);
        ledger.event("acc-1", "c1", violations);
        ledger.event("acc-1", "c3", violations);
        ledger.event("acc-1", "c6", violations);
        ledger.finish(tally);

        assertThat(tally.violations()).containsExactly("command c5 for acc-2 has no result");
        assertThat(violations).containsExactly("events of command c6 for acc-1 but no result");
        assertThat(tally.commandsOutsideWindow).isEqualTo(2);
        assertThat(tally.eventsOutsideWindow).isEqualTo(2);
        assertThat(tally.commands).isEqualTo(3);
        assertThat(tally.results).isEqualTo(2);
    }

    @Test
    void shouldStartTheWindowAtTheRecordThatGotTheResultNotAtAnEarlierRecordOfTheSameCommand() {
        // c1 failed (result deleted), c2 was answered (result deleted), c1 sent again was accepted.
        ledger.result("acc-1", "c1", Kind.ACCEPTED, 0, false);
        ledger.resultsTrimmed(true);
        ledger.command(0, "acc-1", "c1");
        ledger.command(1, "acc-1", "c2");
        ledger.command(2, "acc-1", "c1");
        ledger.finish(tally);

        assertThat(tally.violations()).isEmpty();
        assertThat(tally.commandsOutsideWindow).isEqualTo(2);
        assertThat(tally.commands).isEqualTo(1);
    }

    @Test
    void shouldExpectOneResultPerRecordInsideTheWindowReSentOnesIncluded() {
        ledger.result("acc-1", "c1", Kind.ACCEPTED, 1, false);
        ledger.result("acc-1", "c2", Kind.ACCEPTED, 1, false);
        ledger.result("acc-1", "c2", Kind.ACCEPTED, 0, true);
        ledger.resultsTrimmed(false);
        ledger.command(5, "acc-1", "c1");
        ledger.command(6, "acc-1", "c2");
        ledger.command(7, "acc-1", "c1");   // sent again: no re-sent result for it
        ledger.command(8, "acc-1", "c2");
        ledger.event("acc-1", "c1", violations);
        ledger.event("acc-1", "c2", violations);
        ledger.finish(tally);

        assertThat(tally.violations()).containsExactly("command c1 for acc-1 has 1 results for its 2 records: acc-commands-0@5 has no result");
        assertThat(tally.duplicateResults).isEqualTo(1);
    }

    @Test
    void shouldTreatTheSameCommandIdForTwoAggregatesAsTwoCommands() {
        ledger.result("acc-1", "same", Kind.ACCEPTED, 1, false);
        ledger.result("acc-2", "same", Kind.ACCEPTED, 1, false);
        ledger.resultsTrimmed(false);
        ledger.command(0, "acc-1", "same");
        ledger.command(1, "acc-2", "same");
        ledger.event("acc-1", "same", violations);
        ledger.event("acc-2", "same", violations);
        ledger.finish(tally);

        assertThat(tally.violations()).isEmpty();
        assertThat(tally.commands).isEqualTo(2);
    }

    @Test
    void shouldHandOverTheFailuresNoKeyedRecordAskedFor() {
        ledger.result("acc-1", "keyless", Kind.FAILED, 0, false);
        ledger.result("acc-1", "c1", Kind.ACCEPTED, 1, false);
        ledger.resultsTrimmed(false);
        ledger.command(0, "acc-1", "c1");

        assertThat(ledger.finish(tally)).containsExactly(new CommandLedger.CommandKey("acc-1", "keyless"));
    }
}
