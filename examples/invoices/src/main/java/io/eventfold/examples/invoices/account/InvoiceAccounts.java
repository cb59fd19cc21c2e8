package io.eventfold.examples.invoices.account;

import io.eventfold.core.Event;
import io.eventfold.core.ProcessManager;
import io.eventfold.core.Reaction;
import io.eventfold.core.Reaction.Send;
import io.eventfold.examples.invoices.account.AccountCommand.ChargeAccount;
import io.eventfold.examples.invoices.account.AccountCommand.CreditAccount;
import io.eventfold.examples.invoices.account.AccountCommand.ReverseCharge;
import io.eventfold.examples.invoices.domain.Customer;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoiceCancelled;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoiceCreated;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoicePaid;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoiceSent;
import io.eventfold.examples.invoices.domain.InvoiceEvent.LineItemAdded;
import io.eventfold.examples.invoices.domain.InvoiceEvent.LineItemRemoved;

import java.util.Locale;

/**
 * Keeps each customer's account in step with the customer's invoices: an invoice sent charges
 * the account with its total, paid credits the payment, cancelled after it was sent reverses the
 * charge. An overdue invoice is still owed: nothing changes. Its state per invoice
 * ({@link InvoiceBilling}) is the customer's account and the lines' totals, learnt from the
 * invoice's own events, so it needs nothing but the invoice's event log, old invoices' included.
 *
 * <pre>{@code
 * ProcessManagerEngine<InvoiceEvent, InvoiceBilling, AccountCommand> engine =
 *     new ProcessManagerEngine<>("invoice-accounts", "invoice", new InvoiceAccounts());
 * }</pre>
 *
 * <p>The framework derives each command's id from the invoice event that caused it, so a replay
 * is deduplicated by the account; the account itself charges an invoice once whatever the command
 * id ({@link AccountRejections#INVOICE_ALREADY_CHARGED}). A refused command needs nothing more of
 * this manager: the account is already as the invoice says.
 */
public final class InvoiceAccounts implements ProcessManager<InvoiceEvent, InvoiceBilling, AccountCommand> {

    /**
     * The account of a customer: the email address, in lower case. The example has no customer
     * register, so the address the invoices are sent to is what makes two invoices one customer's.
     *
     * <pre>{@code
     * InvoiceAccounts.accountId(new Customer("Ada", "Ada@Example.com"));   // "ada@example.com"
     * }</pre>
     *
     * @param customer an invoice's customer, with an email address
     * @return the account id
     */
    public static String accountId(Customer customer) {
        return customer.email().strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public InvoiceBilling initialState() {
        return InvoiceBilling.NONE;
    }

    @Override
    public Reaction<InvoiceBilling, AccountCommand> react(InvoiceBilling billing, Event<InvoiceEvent> event) {
        InvoiceEvent payload = event.payload();
        String invoiceId = event.aggregateId();
        if (payload instanceof InvoiceCreated created) {
            return Reaction.of(billing.createdFor(accountId(created.customer()), created.currency()));
        }
        if (payload instanceof LineItemAdded added) {
            return Reaction.of(billing.withLine(added.lineItem().lineItemId(), added.lineItem().total()));
        }
        if (payload instanceof LineItemRemoved removed) {
            return Reaction.of(billing.withoutLine(removed.lineItemId()));
        }
        if (payload instanceof InvoiceSent && !billing.charged()) {
            return Reaction.of(billing.asCharged(),
                    Send.to(billing.accountId(), new ChargeAccount(invoiceId, billing.currency(), billing.total())));
        }
        if (payload instanceof InvoicePaid paid && billing.charged()) {
            return Reaction.of(billing, Send.to(billing.accountId(), new CreditAccount(invoiceId, billing.currency(), paid.amount())));
        }
        if (payload instanceof InvoiceCancelled && billing.charged()) {
            return Reaction.of(billing, Send.to(billing.accountId(), new ReverseCharge(invoiceId)));
        }
        return Reaction.of(billing);
    }
}
