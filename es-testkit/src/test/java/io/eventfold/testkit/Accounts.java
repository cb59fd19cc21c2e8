package io.eventfold.testkit;

import io.eventfold.kafka.AggregateType;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;

/** The account aggregate of es-core's tests as an aggregate type. */
final class Accounts {

    static final AggregateType<AccountCommand, AccountEvent, Account> TYPE =
            AggregateType.builder("account", new AccountAggregate())
                    .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class)
                    .build();

    static Account open(String owner, long balance) {
        return new Account(Account.Status.OPEN, owner, balance);
    }

    private Accounts() {
    }
}
