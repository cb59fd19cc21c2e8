package io.eventfold.kafka.audit;

import io.eventfold.core.CommandResult.Kind;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The window of one partition: which command records and events are held to "has a result". */
class CommandLedgerTest {

    private final AuditTally tally = new AuditTally();
    private final CommandLedger ledger = new CommandLedger("acc-commands", 0, Set.of(), tally.violations());

    @Test
    void shouldCheckEveryRecordWhenTheResultsPartitionLostNothing() {
        ledger.result("acc-1", "c2", Kind.ACCEPTED, 1, false);
        ledger.resultsTrimmed(false);
        commands(
                new Command(0, "acc-1", "c1"),
                new Command(1, "acc-1", "c2"));
        ledger.event("acc-1", "c0");
        ledger.event("acc-1", "c2");
        ledger.finish(tally);

        assertThat(tally.violations().kept()).containsExactlyInAnyOrder("command c1 for acc-1 has no result",
                "events of command c0 for acc-1 but no result");
        assertThat(tally.commands).isEqualTo(2);
        assertThat(tally.commandsOutsideWindow).isZero();
        assertThat(tally.eventsOutsideWindow).isZero();
    }

    @Test
    void shouldCountWhatPrecedesTheFirstRecordWithAResultAsOutsideTheWindow() {
        ledger.result("acc-1", "c3", Kind.ACCEPTED, 1, false);
        ledger.result("acc-2", "c4", Kind.REJECTED, 0, false);
        ledger.resultsTrimmed(true);
        commands(
                new Command(10, "acc-1", "c1"),    // results deleted
                new Command(11, "acc-2", "c2"),
                new Command(12, "acc-1", "c3"),    // the window starts here
                new Command(13, "acc-2", "c4"),
                new Command(14, "acc-2", "c5"));    // inside, and no result: lost
        ledger.event("acc-1", "c1");
        ledger.event("acc-1", "c1");
        ledger.event("acc-1", "c3");
        ledger.event("acc-1", "c6");
        ledger.finish(tally);

        assertThat(tally.violations().kept()).containsExactlyInAnyOrder("command c5 for acc-2 has no result",
                "events of command c6 for acc-1 but no result");
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
        commands(
                new Command(0, "acc-1", "c1"),
                new Command(1, "acc-1", "c2"),
                new Command(2, "acc-1", "c1"));
        ledger.finish(tally);

        assertThat(tally.violations().kept()).isEmpty();
        assertThat(tally.commandsOutsideWindow).isEqualTo(2);
        assertThat(tally.commands).isEqualTo(1);
    }

    @Test
    void shouldExpectOneResultPerRecordInsideTheWindowReSentOnesIncluded() {
        ledger.result("acc-1", "c1", Kind.ACCEPTED, 1, false);
        ledger.result("acc-1", "c2", Kind.ACCEPTED, 1, false);
        ledger.result("acc-1", "c2", Kind.ACCEPTED, 0, true);
        ledger.resultsTrimmed(false);
        commands(
                new Command(5, "acc-1", "c1"),
                new Command(6, "acc-1", "c2"),
                new Command(7, "acc-1", "c1"),   // sent again: no re-sent result for it
                new Command(8, "acc-1", "c2"));
        ledger.event("acc-1", "c1");
        ledger.event("acc-1", "c2");
        ledger.finish(tally);

        assertThat(tally.violations().kept()).containsExactly("command c1 for acc-1 has 1 results for its 2 records: acc-commands-0@5 has no result");
        assertThat(tally.duplicateResults).isEqualTo(1);
    }

    @Test
    void shouldTreatTheSameCommandIdForTwoAggregatesAsTwoCommands() {
        ledger.result("acc-1", "same", Kind.ACCEPTED, 1, false);
        ledger.result("acc-2", "same", Kind.ACCEPTED, 1, false);
        ledger.resultsTrimmed(false);
        commands(
                new Command(0, "acc-1", "same"),
                new Command(1, "acc-2", "same"));
        ledger.event("acc-1", "same");
        ledger.event("acc-2", "same");
        ledger.finish(tally);

        assertThat(tally.violations().kept()).isEmpty();
        assertThat(tally.commands).isEqualTo(2);
    }

    @Test
    void shouldHandOverTheFailuresNoKeyedRecordAskedFor() {
        ledger.result("acc-1", "keyless", Kind.FAILED, 0, false);
        ledger.result("acc-1", "c1", Kind.ACCEPTED, 1, false);
        ledger.resultsTrimmed(false);
        commands(
                new Command(0, "acc-1", "c1"));

        assertThat(ledger.finish(tally)).containsExactly(Map.entry(new CommandLedger.CommandKey("acc-1", "keyless"), 1));
    }

    /**
     * A command that failed long ago (its result deleted) and was sent again inside the window:
     * the week of records between the two must be counted, not kept.
     */
    @Test
    void shouldKeepNoCommandRecordBeforeTheWindowWhenAnOldCommandIsAnsweredAgainInsideIt() {
        ledger.result("acc-0", "re-sent", Kind.REJECTED, 0, false);   // the answer to the re-send, inside the window
        ledger.result("acc-1", "in-window", Kind.REJECTED, 0, false);
        ledger.resultsTrimmed(true);
        int before = 1_000_000;                                       // records whose results were deleted
        // First pass, then the second from the window's start, as LogAudit reads the partition.
        for (int pass = 1; pass <= 2; pass++) {
            long from = pass == 1 ? 0 : ledger.secondPassFrom();
            assertThat(from).isGreaterThanOrEqualTo(0);
            for (long offset = from; offset <= before + 2; offset++) {
                String aggregateId = offset == 0 || offset == before + 2 ? "acc-0" : offset == before + 1 ? "acc-1" : "acc-" + offset % 1000;
                String commandId = offset == 0 || offset == before + 2 ? "re-sent" : offset == before + 1 ? "in-window" : "old-" + offset;
                if (pass == 1) {
                    ledger.command(offset, aggregateId, commandId);
                } else {
                    ledger.commandInWindow(offset, aggregateId, commandId);
                }
            }
            if (pass == 1) {
                assertThat(ledger.secondPassFrom()).as("the window starts at the first record answered").isEqualTo(before + 1);
            }
        }
        assertThat(ledger.idsHeld()).as("ids held: the two commands with results, no command record").isEqualTo(2);

        ledger.finish(tally);
        assertThat(tally.violations().kept()).isEmpty();
        assertThat(tally.commandsOutsideWindow).isEqualTo(before + 1);
        assertThat(tally.commands).isEqualTo(2);
    }

    @Test
    void shouldFindARecordWithoutAResultInsideTheWindowOnTheSecondPass() {
        ledger.result("acc-1", "c2", Kind.ACCEPTED, 0, false);
        ledger.resultsTrimmed(true);
        commands(new Command(0, "acc-1", "c0"),
                new Command(1, "acc-1", "c2"),
                new Command(2, "acc-1", "c3"),
                new Command(3, "acc-1", "c3"));
        ledger.finish(tally);

        assertThat(tally.violations().kept()).containsExactly("command c3 for acc-1 has no result");
        assertThat(tally.commandsOutsideWindow).isEqualTo(1);
        assertThat(tally.commands).isEqualTo(2);
    }

    @Test
    void shouldLeaveOutTheCommandsNotYetHandled() {
        CommandLedger pending = new CommandLedger("acc-commands", 0, Set.of(new CommandLedger.CommandKey("acc-1", "c2")),
                tally.violations());
        pending.result("acc-1", "c1", Kind.ACCEPTED, 1, false);
        pending.result("acc-1", "c2", Kind.ACCEPTED, 1, false);    // handled while the audit took the ends: its events unread
        pending.resultsTrimmed(false);
        pending.command(0, "acc-1", "c1");
        pending.command(1, "acc-1", "c2");                          // an earlier record of the pending command
        pending.event("acc-1", "c1");
        pending.finish(tally);

        assertThat(tally.violations().kept()).isEmpty();
        assertThat(tally.commandsPending).isEqualTo(1);
        assertThat(tally.results).isEqualTo(1);
    }

    @Test
    void shouldBoundTheIdsItWritesInAViolation() {
        String id = "x".repeat(100_000);
        ledger.resultsTrimmed(false);
        commands(new Command(0, id, id));
        ledger.finish(tally);

        assertThat(tally.violations().kept()).singleElement().asString()
                .hasSizeLessThan(2 * Violations.ID_LENGTH + 100)
                .contains("(" + (100_000 - Violations.ID_LENGTH) + " more characters)");
    }

    /** Both passes over the records, as LogAudit reads a commands partition. */
    private void commands(Command... records) {
        for (Command record : records) {
            ledger.command(record.offset(), record.aggregateId(), record.commandId());
        }
        long from = ledger.secondPassFrom();
        if (from >= 0) {
            for (Command record : records) {
                if (record.offset() >= from) {
                    ledger.commandInWindow(record.offset(), record.aggregateId(), record.commandId());
                }
            }
        }
    }

    private record Command(long offset, String aggregateId, String commandId) {
    }
}
