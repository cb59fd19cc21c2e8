package io.eventfold.examples.invoices;

import io.eventfold.core.MetadataPolicy;
import io.eventfold.examples.invoices.account.Account;
import io.eventfold.examples.invoices.account.AccountAggregate;
import io.eventfold.examples.invoices.account.AccountCommand;
import io.eventfold.examples.invoices.account.AccountEvent;
import io.eventfold.kafka.AggregateType;

/**
 * The customer account aggregate type: topics {@code account-commands}, {@code account-events},
 * {@code account-snapshots}, {@code account-command-results} and {@code account-commands-dlq}.
 * Its commands come from the invoices, through a process manager, not from the API.
 *
 * <pre>{@code
 * Topology topology = EventSourcedTopology.of(Invoices.TYPE, Accounts.TYPE);
 * }</pre>
 */
public final class Accounts {

    /** The one instance the application, its tests and its tools share. */
    public static final AggregateType<AccountCommand, AccountEvent, Account> TYPE =
            AggregateType.builder("account", new AccountAggregate())
                    .commands(AccountCommand.class)
                    .events(AccountEvent.class)
                    .state(Account.class)
                    // The invoice event's "user" travels on with the command it causes: the account's
                    // history says whose invoice change moved the balance, like the invoice's own history.
                    .metadata(MetadataPolicy.only(Invoices.USER))
                    .build();

    private Accounts() {
    }
}
