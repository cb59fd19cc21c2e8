package io.eventfold.examples.invoices;

import io.eventfold.core.MetadataPolicy;
import io.eventfold.examples.invoices.account.Account;
import io.eventfold.examples.invoices.account.AccountAggregate;
import io.eventfold.examples.invoices.account.AccountCommand;
import io.eventfold.examples.invoices.account.AccountEvent;
import io.eventfold.examples.invoices.account.InvoiceAccounts;
import io.eventfold.examples.invoices.account.InvoiceBilling;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.ProcessManagerType;

/**
 * The customer account aggregate type, and the process manager that keeps the accounts in step
 * with the invoices. The type's topics are {@code account-commands}, {@code account-events},
 * {@code account-snapshots}, {@code account-command-results} and {@code account-commands-dlq};
 * the manager's {@code invoice-accounts-replies} and {@code invoice-accounts-dlq}. Account commands
 * come from the invoices, through the manager, not from the API.
 *
 * <pre>{@code
 * Topology topology = EventSourcedTopology.of(Invoices.TYPE, Accounts.TYPE, Accounts.INVOICE_ACCOUNTS);
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

    /**
     * Charges, credits and reverses each customer's account as the customer's invoices are sent,
     * paid and cancelled ({@link InvoiceAccounts}); its state per invoice is an {@link InvoiceBilling}.
     */
    public static final ProcessManagerType<InvoiceEvent, InvoiceBilling, AccountCommand> INVOICE_ACCOUNTS =
            ProcessManagerType.builder("invoice-accounts", new InvoiceAccounts())
                    .from(Invoices.TYPE)
                    .to(TYPE)
                    .state(InvoiceBilling.class)
                    .build();

    private Accounts() {
    }
}
