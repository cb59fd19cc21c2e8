package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.testkit.Check;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The topology-output check, fed with records a broken topology could write. */
class ScenarioChecksTest {

    private static final Instant AT = Instant.parse("2026-01-01T09:00:00Z");
    private final AccountAggregate aggregate = new AccountAggregate();
    private final Command<AccountCommand> command =
            new Command<>("c1", "acc-1", ExpectedVersion.any(), new AccountCommand.Deposit(5), Map.of());
    private final Account state = new Account(Account.Status.OPEN, "alice", 5);
    private final RunnerOutcome<AccountEvent, Account> outcome = new RunnerOutcome<>("topology",
            new CommandResult.Accepted<>("c1", "acc-1", 2, List.of(), state),
            List.of(new Event<>("acc-1", 2, "c1", AT, new AccountEvent.Deposited(5))), state, 2, false);

    private final TopologyRecords.Written good = new TopologyRecords.Written("acc-1", "c1", "2");

    private void check(TopologyRecords records) {
        check(records, false);
    }

    private void check(TopologyRecords records, boolean pureSawADuplicate) {
        RunnerOutcome<AccountEvent, Account> pure = new RunnerOutcome<>("pure", outcome.result(), outcome.events(),
                outcome.state(), outcome.version(), pureSawADuplicate);
        new ScenarioChecks<>(aggregate, null, () -> records, Set.of(Check.TOPOLOGY_OUTPUTS))
                .afterCommand(command, List.of(pure, outcome), Map.of(), true, "Scenario\n");
    }

    @Test
    void shouldAcceptOutputsKeyedAndHeadedAsPromised() {
        assertThatCode(() -> check(new TopologyRecords(List.of(good), List.of(good), List.of(good), 0))).doesNotThrowAnyException();
    }

    @Test
    void shouldListEveryWrongKeyHeaderAndDeadLetter() {
        TopologyRecords.Written event = new TopologyRecords.Written("acc-9", "c2", "7");
        TopologyRecords.Written result = new TopologyRecords.Written("acc-1", null, "1");

        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class,
                () -> check(new TopologyRecords(List.of(event), List.of(), List.of(result, good), 1)));

        assertThat(error.getMessage()).startsWith("the topology's output records are not as Eventfold promises [check TOPOLOGY_OUTPUTS]")
                .contains("""
                          event #1 is keyed 'acc-9', expected the aggregate id 'acc-1'
                          event #1 has command-id header 'c2', expected 'c1'
                          event #1 has version header '7', expected '2'
                          2 results were written, expected exactly one
                          result has command-id header 'null', expected 'c1'
                          result has version header '1', expected '2'
                          0 snapshots were written, expected 1
                          1 record(s) went to the dead-letter topic
                        """);
    }

    @Test
    void shouldNoticeARedeliveryThatIsNotMarkedAsADuplicate() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class,
                () -> check(new TopologyRecords(List.of(good), List.of(good), List.of(good), 0), true));

        assertThat(error.getMessage()).contains("the result is not marked as a duplicate, but the command was handled before");
    }
}
