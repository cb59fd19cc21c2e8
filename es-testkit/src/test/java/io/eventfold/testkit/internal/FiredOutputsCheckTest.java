package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.MetadataPolicy;
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

/** The topology-output check after time passed, fed with records a broken deadline timer could write. */
class FiredOutputsCheckTest {

    private static final Instant NOW = Instant.parse("2026-01-31T09:00:00Z");
    private static final String ID = "acc-1/deadline/fee/1";

    private final Account state = new Account(Account.Status.OPEN, "alice", 4);
    private final Command<AccountCommand> fired = new Command<>(ID, "acc-1", ExpectedVersion.any(), new AccountCommand.Withdraw(1),
            Map.of("user", "alice"), "c1");
    private final Event<AccountEvent> event = new Event<>("acc-1", 2, ID, NOW, new AccountEvent.Withdrawn(1), "c1", Map.of("user", "alice"));
    private final RunnerOutcome<AccountEvent, Account> outcome = RunnerOutcome.ofTime("topology", List.of(new Fired<>("fee", fired,
            new CommandResult.Accepted<>(ID, "acc-1", 2, List.of(event), state), List.of(event), List.of())), state, 2);

    private final TopologyRecords.Written command = new TopologyRecords.Written("acc-1", ID, null, null, Map.of(), "fee", NOW.toEpochMilli());
    private final TopologyRecords.Written written = new TopologyRecords.Written("acc-1", ID, "2", "c1", Map.of("user", "alice"));

    private void check(TopologyRecords records) {
        new ScenarioChecks<>(new AccountAggregate(), MetadataPolicy.all(), null, () -> records, Set.of(Check.TOPOLOGY_OUTPUTS))
                .afterTimeStep("acc-1", NOW, List.of(outcome, outcome), Map.of(), true, "Scenario\n");
    }

    @Test
    void shouldAcceptAFiredCommandKeyedHeadedStampedAndAnsweredOnce() {
        assertThatCode(() -> check(new TopologyRecords(List.of(written), List.of(written), List.of(written), 0, List.of(command))))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldListEveryWrongHeaderTimestampAndMissingResult() {
        TopologyRecords.Written late = new TopologyRecords.Written("acc-1", ID, null, null, Map.of(), "reminder",
                NOW.plusSeconds(1).toEpochMilli());

        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class,
                () -> check(new TopologyRecords(List.of(written), List.of(), List.of(), 0, List.of(late))));

        assertThat(error.getMessage()).startsWith("the topology's output records are not as Eventfold promises [check TOPOLOGY_OUTPUTS]")
                .contains("""
                          command #1 fired has deadline header 'reminder', expected 'fee'
                          command #1 fired has timestamp 2026-01-31T09:00:01Z, expected the firing time 2026-01-31T09:00:00Z
                          0 results were written for command #1 fired, expected exactly one
                          0 snapshots were written, expected 1
                        """);
    }
}
