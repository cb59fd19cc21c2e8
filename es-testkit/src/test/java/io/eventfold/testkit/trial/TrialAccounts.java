package io.eventfold.testkit.trial;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.ProcessManager;
import io.eventfold.core.Reaction;
import io.eventfold.core.Reaction.Send;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.testkit.trial.TrialEvent.*;

/**
 * Opens an account with a welcome deposit when a trial is subscribed, and closes it when a trial
 * ends: the test kit's process manager sample. A refused command is an input: it counts the
 * refusal and makes a consolation deposit of 1. A third reminder makes it throw.
 */
public final class TrialAccounts implements ProcessManager<TrialEvent, TrialAccount, AccountCommand> {

    @Override
    public TrialAccount initialState() {
        return TrialAccount.NONE;
    }

    @Override
    public Reaction<TrialAccount, AccountCommand> react(TrialAccount state, Event<TrialEvent> event) {
        TrialEvent payload = event.payload();
        if (payload instanceof Started) {
            return Reaction.of(new TrialAccount("acc-" + event.aggregateId(), 0));
        }
        if (payload instanceof Subscribed) {
            return Reaction.of(state, Send.to(state.account(), new Open(event.aggregateId())), Send.to(state.account(), new Deposit(10)));
        }
        if (payload instanceof Ended) {
            return Reaction.of(state, Send.to(state.account(), new Close(), ExpectedVersion.exactly(2)));
        }
        if (payload instanceof Reminded reminded && reminded.count() >= 3) {
            throw new IllegalStateException("too many reminders for " + event.aggregateId());
        }
        return Reaction.of(state);
    }

    @Override
    public Reaction<TrialAccount, AccountCommand> onResult(TrialAccount state, Command<AccountCommand> sent, CommandResult<?, ?> result) {
        if (result instanceof CommandResult.Rejected<?, ?>) {
            return Reaction.of(state.refused(), Send.to(sent.aggregateId(), new Deposit(1)));
        }
        return Reaction.of(state);
    }
}
