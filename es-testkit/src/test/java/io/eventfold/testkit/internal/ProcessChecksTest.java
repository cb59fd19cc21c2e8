package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.ProcessState;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.testkit.Check;
import io.eventfold.testkit.trial.TrialAccount;
import io.eventfold.testkit.trial.TrialEvent;
import io.eventfold.testkit.trial.Trials;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The topology-output check of a process manager, fed with records a broken topology could write. */
class ProcessChecksTest {

    private final Command<AccountCommand> open = new Command<>("trial-accounts/trial/trial-1/2/0", "acc-trial-1", ExpectedVersion.any(),
            new AccountCommand.Open("trial-1"), Map.of(), "command-2");
    private final ProcessOutcome<TrialAccount, AccountCommand> outcome = new ProcessOutcome<>("topology", List.of(open),
            new ProcessState<>(2, 0, new TrialAccount("acc-trial-1", 0)), false, null, null, null);

    private void check(ProcessRecords records) {
        new ProcessChecks<TrialEvent, TrialAccount, AccountCommand>(Trials.TRIAL_ACCOUNTS, () -> records, Set.of(Check.TOPOLOGY_OUTPUTS))
                .afterInput(null, List.of(outcome, outcome), "Scenario\n");
    }

    @Test
    void shouldAcceptCommandRecordsKeyedAndHeadedAsPromised() {
        assertThatCode(() -> check(new ProcessRecords(List.of(new ProcessRecords.Sent("acc-trial-1", open.commandId(), "trial-accounts",
                "trial-accounts-replies")), 0))).doesNotThrowAnyException();
    }

    @Test
    void shouldListEveryWrongKeyHeaderAndDeadLetter() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> check(new ProcessRecords(
                List.of(new ProcessRecords.Sent("trial-1", open.commandId(), null, "account-replies")), 1)));

        assertThat(error.getMessage()).contains("""
                  command #1 has key 'trial-1', expected 'acc-trial-1'
                  command #1 has process-manager header 'null', expected 'trial-accounts'
                  command #1 has reply-topic header 'account-replies', expected 'trial-accounts-replies'
                  1 record(s) went to the manager's dead-letter topic, expected 0
                """);
    }
}
