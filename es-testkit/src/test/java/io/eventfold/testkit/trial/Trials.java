package io.eventfold.testkit.trial;

import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.ProcessManagerType;

public final class Trials {

    public static final AggregateType<TrialCommand, TrialEvent, Trial> TYPE =
            AggregateType.builder("trial", new TrialAggregate())
                    .commands(TrialCommand.class).events(TrialEvent.class).state(Trial.class)
                    .build();

    public static final AggregateType<AccountCommand, AccountEvent, Account> ACCOUNTS =
            AggregateType.builder("account", new AccountAggregate())
                    .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class)
                    .build();

    public static final ProcessManagerType<TrialEvent, TrialAccount, AccountCommand> TRIAL_ACCOUNTS =
            ProcessManagerType.builder("trial-accounts", new TrialAccounts())
                    .from(TYPE).to(ACCOUNTS).state(TrialAccount.class)
                    .build();

    private Trials() {
    }
}
