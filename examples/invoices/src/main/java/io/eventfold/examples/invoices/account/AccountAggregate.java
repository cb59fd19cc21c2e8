package io.eventfold.examples.invoices.account;

import io.eventfold.core.Aggregate;
import io.eventfold.core.Decision;
import io.eventfold.examples.invoices.account.AccountCommand.ChargeAccount;
import io.eventfold.examples.invoices.account.AccountCommand.CreditAccount;
import io.eventfold.examples.invoices.account.AccountCommand.ReverseCharge;
import io.eventfold.examples.invoices.account.AccountEvent.AccountCharged;
import io.eventfold.examples.invoices.account.AccountEvent.AccountCredited;
import io.eventfold.examples.invoices.account.AccountEvent.ChargeReversed;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of a customer account: an invoice is charged once, and a charge is settled once, by
 * its payment or by its reversal. An account exists from its first charge. Every refusal has a
 * stable code, listed in {@link AccountRejections}.
 *
 * <pre>{@code
 * new AccountAggregate().decide(new ChargeAccount("INV-7", "EUR", new BigDecimal("420.00")), Account.NONE);
 * // Accepted[events=[AccountCharged[invoiceId=INV-7, currency=EUR, amount=420.00]], …]
 * }</pre>
 */
public final class AccountAggregate implements Aggregate<AccountCommand, AccountEvent, Account> {

    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");

    @Override
    public Account initialState() {
        return Account.NONE;
    }

    @Override
    public Decision<AccountEvent> decide(AccountCommand command, Account account) {
        if (command.invoiceId() == null || command.invoiceId().isBlank()) {
            return Decision.reject(AccountRejections.INVALID_INVOICE, "the command names no invoice");
        }
        if (command instanceof ChargeAccount charge) {
            return charge(charge, account);
        }
        if (command instanceof CreditAccount credit) {
            return credit(credit, account);
        }
        return reverse((ReverseCharge) command, account);
    }

    private static Decision<AccountEvent> charge(ChargeAccount charge, Account account) {
        if (account.charge(charge.invoiceId()).isPresent()) {
            return Decision.reject(AccountRejections.INVOICE_ALREADY_CHARGED,
                    "invoice " + charge.invoiceId() + " was charged to this account before");
        }
        if (charge.currency() == null || !CURRENCY.matcher(charge.currency()).matches()) {
            return Decision.reject(AccountRejections.INVALID_CURRENCY, "'" + charge.currency() + "' is not a three-letter currency code");
        }
        if (charge.amount() == null || charge.amount().signum() < 0) {
            return Decision.reject(AccountRejections.INVALID_AMOUNT, "the amount must be >= 0 but was " + charge.amount());
        }
        return Decision.accept(new AccountCharged(charge.invoiceId(), charge.currency(), charge.amount()));
    }

    private static Decision<AccountEvent> credit(CreditAccount credit, Account account) {
        Optional<Decision<AccountEvent>> refused = unlessOpen(credit.invoiceId(), account);
        if (refused.isPresent()) {
            return refused.get();
        }
        InvoiceCharge charge = account.charge(credit.invoiceId()).orElseThrow();
        if (!charge.currency().equals(credit.currency()) || credit.amount() == null || credit.amount().compareTo(charge.amount()) != 0) {
            return Decision.reject(AccountRejections.CREDIT_MISMATCH, "a credit of " + credit.amount() + " " + credit.currency()
                    + " does not settle the charge of " + charge.amount() + " " + charge.currency() + " for invoice " + credit.invoiceId());
        }
        return Decision.accept(new AccountCredited(credit.invoiceId(), credit.currency(), credit.amount()));
    }

    private static Decision<AccountEvent> reverse(ReverseCharge reverse, Account account) {
        Optional<Decision<AccountEvent>> refused = unlessOpen(reverse.invoiceId(), account);
        if (refused.isPresent()) {
            return refused.get();
        }
        InvoiceCharge charge = account.charge(reverse.invoiceId()).orElseThrow();
        return Decision.accept(new ChargeReversed(reverse.invoiceId(), charge.currency(), charge.amount()));
    }

    /** A charge is settled once: the refusal for an invoice not charged or settled already, or empty when it is open. */
    private static Optional<Decision<AccountEvent>> unlessOpen(String invoiceId, Account account) {
        Optional<InvoiceCharge> charge = account.charge(invoiceId);
        if (charge.isEmpty()) {
            return Optional.of(Decision.reject(AccountRejections.INVOICE_NOT_CHARGED, "invoice " + invoiceId + " was never charged to this account"));
        }
        if (charge.get().status() != InvoiceCharge.Status.OPEN) {
            return Optional.of(Decision.reject(AccountRejections.INVOICE_ALREADY_SETTLED,
                    "invoice " + invoiceId + " is " + charge.get().status() + " already"));
        }
        return Optional.empty();
    }

    @Override
    public Account evolve(Account account, AccountEvent event) {
        if (event instanceof AccountCharged charged) {
            return account.with(charged.invoiceId(), new InvoiceCharge(charged.currency(), charged.amount(), InvoiceCharge.Status.OPEN));
        }
        InvoiceCharge charge = account.charge(event.invoiceId()).orElseThrow(() -> new IllegalStateException(
                event.getClass().getSimpleName() + " of invoice " + event.invoiceId() + " before its charge"));
        InvoiceCharge.Status status = event instanceof AccountCredited ? InvoiceCharge.Status.CREDITED : InvoiceCharge.Status.REVERSED;
        return account.with(event.invoiceId(), charge.withStatus(status));
    }
}
