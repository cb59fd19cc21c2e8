package io.eventfold.kafka.audit;

import io.eventfold.kafka.EventfoldHeaders.DeadlineNote;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The deadlines of one partition: fired once, fired only when scheduled, fired when due unless replaced or cancelled. */
class DeadlineLedgerTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final long EARLIER = NOW.minusSeconds(3600).toEpochMilli();

    private final AuditTally tally = new AuditTally();
    private final DeadlineLedger ledger = new DeadlineLedger("ticket-commands", 0, tally.violations());

    private static DeadlineNote schedule(String id, Instant due) {
        return new DeadlineNote(id, due);
    }

    private static DeadlineNote cancel(String id) {
        return new DeadlineNote(id, null);
    }

    private void finish() {
        ledger.finish(tally, NOW, Long.MIN_VALUE);
    }

    @Test
    void shouldFindNothingWhenEachDueDeadlineFiredOnceAndTheOthersWait() {
        ledger.fired("t-1", "t-1/deadline/expiry/1", "expiry", 3, true);
        ledger.changes("t-1", 1, EARLIER, List.of(schedule("expiry", NOW.minusSeconds(60))), false);
        ledger.changes("t-2", 1, EARLIER, List.of(schedule("expiry", NOW.plusSeconds(60))), false);
        finish();

        assertThat(tally.violations().kept()).isEmpty();
        assertThat(tally.deadlinesScheduled).isEqualTo(2);
        assertThat(tally.deadlinesFired).isEqualTo(1);
        assertThat(tally.deadlinesWaiting).isEqualTo(1);
    }

    @Test
    void shouldReportADeadlineFiredTwice() {
        ledger.fired("t-1", "t-1/deadline/expiry/1", "expiry", 3, true);
        ledger.fired("t-1", "t-1/deadline/expiry/1", "expiry", 9, true);
        ledger.changes("t-1", 1, EARLIER, List.of(schedule("expiry", NOW.minusSeconds(60))), false);
        finish();

        assertThat(tally.violations().kept()).containsExactly(
                "deadline expiry of t-1 fired 2 times: its command t-1/deadline/expiry/1 is on ticket-commands-0@3 and ticket-commands-0@9");
        assertThat(tally.deadlinesFired).isEqualTo(1);
    }

    @Test
    void shouldReportADueDeadlineThatNeverFired() {
        ledger.changes("t-1", 1, EARLIER, List.of(schedule("expiry", Instant.parse("2026-11-30T11:59:00Z"))), false);
        finish();

        assertThat(tally.violations().kept()).containsExactly("deadline expiry of t-1 scheduled at version 1 was due at"
                + " 2026-11-30T11:59:00Z but never fired: its command t-1/deadline/expiry/1 is not on ticket-commands");
    }

    @Test
    void shouldReportAFiredCommandThatNoEventScheduled() {
        ledger.fired("t-1", "t-1/deadline/expiry/7", "expiry", 4, true);
        ledger.changes("t-1", 1, EARLIER, List.of(schedule("expiry", NOW.plusSeconds(60))), false);
        finish();

        assertThat(tally.violations().kept()).containsExactly("command t-1/deadline/expiry/7 on ticket-commands-0@4 fires"
                + " deadline expiry of t-1, which no event of t-1 scheduled");
    }

    @Test
    void shouldNotHoldAFiredCommandTheApplicationHadNotHandledToAScheduleWithinTheEventsRead() {
        ledger.fired("t-1", "t-1/deadline/expiry/1", "expiry", 4, false);
        finish();

        assertThat(tally.violations().kept()).isEmpty();
        assertThat(tally.deadlinesFired).isEqualTo(1);
    }

    @Test
    void shouldNotRequireAReplacedOrCancelledDeadlineToFireNorMindIfItDid() {
        // t-1: scheduled, fired, then cancelled (the race: the cancel came after the firing).
        ledger.fired("t-1", "t-1/deadline/expiry/1", "expiry", 0, true);
        ledger.changes("t-1", 1, EARLIER, List.of(schedule("expiry", NOW.minusSeconds(600))), false);
        ledger.changes("t-1", 2, EARLIER, List.of(cancel("expiry")), false);
        // t-2: scheduled, replaced before it fired, the replacement fired.
        ledger.fired("t-2", "t-2/deadline/expiry/2", "expiry", 1, true);
        ledger.changes("t-2", 1, EARLIER, List.of(schedule("expiry", NOW.minusSeconds(600))), false);
        ledger.changes("t-2", 2, EARLIER, List.of(schedule("expiry", NOW.minusSeconds(300))), false);
        // t-3: cancelled and rescheduled in one decision, in that order: the new one waits.
        ledger.changes("t-3", 1, EARLIER, List.of(schedule("expiry", NOW.minusSeconds(600))), false);
        ledger.changes("t-3", 2, EARLIER, List.of(cancel("expiry"), schedule("expiry", NOW.plusSeconds(600))), false);
        finish();

        assertThat(tally.violations().kept()).isEmpty();
        assertThat(tally.deadlinesScheduled).isEqualTo(5);
        assertThat(tally.deadlinesCancelled).isEqualTo(2);
        assertThat(tally.deadlinesFired).isEqualTo(2);
        assertThat(tally.deadlinesWaiting).isEqualTo(1);
    }

    @Test
    void shouldGiveADeadlineTheGraceFromWhenItWasRecordedAndLeaveOutThoseOfCommandsNotYetHandled() {
        // Due long ago, but scheduled just now: it fires at the next tick.
        ledger.changes("t-1", 1, NOW.plusSeconds(1).toEpochMilli(), List.of(schedule("expiry", NOW.minusSeconds(3600))), false);
        ledger.changes("t-2", 1, EARLIER, List.of(schedule("expiry", NOW.minusSeconds(3600))), true);
        finish();

        assertThat(tally.violations().kept()).isEmpty();
        assertThat(tally.deadlinesWaiting).isEqualTo(2);
    }

    @Test
    void shouldCountADeadlineDueBeforeTheOldestCommandHeldAsOutsideTheWindow() {
        ledger.changes("t-1", 1, EARLIER, List.of(schedule("expiry", NOW.minusSeconds(3000))), false);
        ledger.changes("t-2", 1, EARLIER, List.of(schedule("expiry", NOW.minusSeconds(1000))), false);
        ledger.finish(tally, NOW, NOW.minusSeconds(2000).toEpochMilli());

        assertThat(tally.deadlinesOutsideWindow).isEqualTo(1);
        assertThat(tally.violations().kept()).singleElement().asString().startsWith("deadline expiry of t-2 ");
    }

    @Test
    void shouldKeepTheDeadlinesOfEachIdApart() {
        ledger.fired("t-1", "t-1/deadline/reminder/1", "reminder", 0, true);
        ledger.changes("t-1", 1, EARLIER, List.of(schedule("reminder", NOW.minusSeconds(600)), schedule("expiry", NOW.minusSeconds(60))),
                false);
        finish();

        assertThat(tally.violations().kept()).singleElement().asString().startsWith("deadline expiry of t-1 scheduled at version 1");
    }
}
