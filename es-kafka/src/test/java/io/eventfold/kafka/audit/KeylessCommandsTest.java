package io.eventfold.kafka.audit;

import io.eventfold.core.CommandResult.Kind;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Records without a key are matched with the failures no keyed record asked for, from every partition. */
class KeylessCommandsTest {

    private final AuditTally tally = new AuditTally();
    private final KeylessCommands keyless = new KeylessCommands();

    /**
     * A client sends a command without a key, is answered Failed ("commands must be keyed by
     * their aggregate id"), then sends it again keyed, with the same command id: both records
     * have their answer on the aggregate's results partition.
     */
    @Test
    void shouldFindTheAnswerOfARecordWithoutAKeySentAgainWithAKeyAndTheSameId() {
        keyless.record("acc-1", "c1"); // on commands-0, where the producer put it
        CommandLedger partition1 = new CommandLedger("acc-commands", 1, Set.of(), tally.violations());
        partition1.result("acc-1", "c1", Kind.FAILED, 0, false);    // the answer to the record without a key
        partition1.result("acc-1", "c1", Kind.ACCEPTED, 1, false);  // the answer to the keyed one
        partition1.resultsTrimmed(false);
        partition1.command(0, "acc-1", "c1");
        partition1.event("acc-1", "c1");
        keyless.answers(partition1.finish(tally));
        keyless.finish(tally, true);

        assertThat(tally.violations().kept()).isEmpty();
        assertThat(tally.commands).isEqualTo(2);
    }

    @Test
    void shouldNotCountTheFailureOfAKeyedRecordAsTheAnswerOfARecordWithoutAKey() {
        keyless.record("acc-1", "c1");
        CommandLedger partition1 = new CommandLedger("acc-commands", 1, Set.of(), tally.violations());
        partition1.result("acc-1", "c1", Kind.FAILED, 0, false);    // the keyed record's answer
        partition1.resultsTrimmed(false);
        partition1.command(0, "acc-1", "c1");
        keyless.answers(partition1.finish(tally));
        keyless.finish(tally, true);

        assertThat(tally.violations().kept()).containsExactly("command c1 for acc-1 has no result");
    }

    @Test
    void shouldCountWhatItCannotCheckWhenResultsWereDeleted() {
        keyless.record("acc-1", "c1");
        keyless.record("acc-1", "c1");
        keyless.finish(tally, false);

        assertThat(tally.violations().kept()).isEmpty();
        assertThat(tally.commandsOutsideWindow).isEqualTo(2);
    }
}
