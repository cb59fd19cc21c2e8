package io.eventfold.examples.invoices.account;

import io.eventfold.core.Command;
import io.eventfold.core.CommandEngine;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Outcome;
import io.eventfold.core.ProcessManagerEngine;
import io.eventfold.core.ProcessState;
import io.eventfold.core.Snapshot;
import io.eventfold.examples.invoices.account.AccountCommand.ChargeAccount;
import io.eventfold.examples.invoices.account.AccountCommand.CreditAccount;
import io.eventfold.examples.invoices.account.AccountCommand.ReverseCharge;
import io.eventfold.examples.invoices.domain.Customer;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoiceCancelled;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoiceCreated;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoiceOverdue;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoicePaid;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoiceSent;
import io.eventfold.examples.invoices.domain.InvoiceEvent.LineItemAdded;
import io.eventfold.examples.invoices.domain.InvoiceEvent.LineItemRemoved;
import io.eventfold.examples.invoices.domain.LineItem;
import io.eventfold.examples.invoices.Accounts;
import io.eventfold.testkit.ProcessManagerFixture;
import io.eventfold.testkit.Reply;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The process manager that keeps customer accounts in step with invoices, on the pure
 * {@link ProcessManagerEngine} (as the topology runs it) and, end to end, with the account
 * aggregate's {@link CommandEngine} deciding the commands it sends.
 */
class InvoiceAccountsTest {

    static final String MANAGER = "invoice-accounts";
    static final Customer ADA = new Customer("Ada Lovelace", "Ada@Example.com");
    static final LocalDate ISSUED = LocalDate.of(2026, 11, 22);
    static final LineItem TUNING = new LineItem("li-1", "Analytical engine tuning", 3, new BigDecimal("120.00"), BigDecimal.ZERO);
    static final LineItem CARDS = new LineItem("li-2", "Punched cards", 200, new BigDecimal("0.25"), new BigDecimal("0.20"));
    static final Instant AT = Instant.parse("2026-11-22T09:30:00Z");

    final ProcessManagerEngine<InvoiceEvent, InvoiceBilling, AccountCommand> engine =
            new ProcessManagerEngine<>(MANAGER, "invoice", new InvoiceAccounts());
    final Map<String, ProcessState<InvoiceBilling>> positions = new HashMap<>();
    final Map<String, Long> versions = new HashMap<>();

    /** Feeds the invoice's next events to the manager, as the topology does, and returns the commands it sent. */
    private List<Command<AccountCommand>> after(String invoiceId, InvoiceEvent... events) {
        List<Command<AccountCommand>> sent = new ArrayList<>();
        for (InvoiceEvent payload : events) {
            long version = versions.merge(invoiceId, 1L, Long::sum);
            Event<InvoiceEvent> event = new Event<>(invoiceId, version, invoiceId + "-cmd-" + version, AT, payload,
                    "chain-" + invoiceId, Map.of("user", "ada"));
            ProcessManagerEngine.Step<InvoiceBilling, AccountCommand> step =
                    engine.onEvent(positions.getOrDefault(invoiceId, engine.initial()), event);
            assertThat(step.failed()).as("%s: %s", payload, step.message()).isFalse();
            positions.put(invoiceId, step.state());
            sent.addAll(step.commands());
        }
        return sent;
    }

    private static InvoiceCreated created(LocalDate due) {
        return new InvoiceCreated(ADA, ISSUED, due, "EUR");
    }

    @Test
    void shouldChargeTheCustomersAccountWithTheTotalOfASentInvoice() {
        assertThat(after("INV-1", created(ISSUED.plusDays(30)), new LineItemAdded(TUNING), new LineItemAdded(CARDS))).isEmpty();

        List<Command<AccountCommand>> sent = after("INV-1", new InvoiceSent());

        assertThat(sent).containsExactly(new Command<>("invoice-accounts/invoice/INV-1/4/0", "ada@example.com", ExpectedVersion.any(),
                new ChargeAccount("INV-1", "EUR", new BigDecimal("420.00")), Map.of("user", "ada"), "chain-INV-1"));
    }

    @Test
    void shouldChargeOnlyTheLinesStillOnTheInvoiceWhenSent() {
        List<Command<AccountCommand>> sent = after("INV-1", created(ISSUED.plusDays(30)), new LineItemAdded(TUNING),
                new LineItemAdded(CARDS), new LineItemRemoved("li-1"), new InvoiceSent());

        assertThat(sent).extracting(Command::payload).containsExactly(new ChargeAccount("INV-1", "EUR", new BigDecimal("60.00")));
    }

    @Test
    void shouldCreditAPaymentEvenOfAnOverdueInvoiceAndReverseACancelledCharge() {
        after("INV-1", created(ISSUED.plusDays(30)), new LineItemAdded(TUNING), new InvoiceSent());
        after("INV-2", created(ISSUED.plusDays(30)), new LineItemAdded(CARDS), new InvoiceSent());

        assertThat(after("INV-1", new InvoiceOverdue(ISSUED.plusDays(30)))).as("still owed: nothing to do").isEmpty();
        assertThat(after("INV-1", new InvoicePaid(new BigDecimal("360.00")))).extracting(Command::commandId, Command::payload)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("invoice-accounts/invoice/INV-1/5/0",
                        new CreditAccount("INV-1", "EUR", new BigDecimal("360.00"))));
        assertThat(after("INV-2", new InvoiceCancelled("wrong customer"))).extracting(Command::payload)
                .containsExactly(new ReverseCharge("INV-2"));
    }

    @Test
    void shouldLeaveTheAccountAloneForAnInvoiceCancelledBeforeItWasSent() {
        assertThat(after("INV-1", created(ISSUED.plusDays(30)), new LineItemAdded(TUNING), new InvoiceCancelled("draft"))).isEmpty();
    }

    @Test
    void shouldPassOverAReplayedEventSoAnInvoiceIsChargedOnce() {
        after("INV-1", created(ISSUED.plusDays(30)), new LineItemAdded(TUNING));
        Event<InvoiceEvent> sentEvent = new Event<>("INV-1", 3, "INV-1-cmd-3", AT, new InvoiceSent());
        ProcessManagerEngine.Step<InvoiceBilling, AccountCommand> first = engine.onEvent(positions.get("INV-1"), sentEvent);

        ProcessManagerEngine.Step<InvoiceBilling, AccountCommand> replay = engine.onEvent(first.state(), sentEvent);

        assertThat(first.commands()).hasSize(1);
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.commands()).isEmpty();
    }

    @Test
    void shouldKeepTheBalanceAtWhatIsSentAndNotYetPaidOrCancelled() {
        CommandEngine<AccountCommand, AccountEvent, Account> accounts = CommandEngine.of(new AccountAggregate());
        Snapshot<Account> ada = Snapshot.initial("ada@example.com", new AccountAggregate());
        List<Command<AccountCommand>> commands = new ArrayList<>();
        commands.addAll(after("INV-1", created(ISSUED.plusDays(30)), new LineItemAdded(TUNING), new InvoiceSent()));
        commands.addAll(after("INV-2", created(ISSUED.plusDays(30)), new LineItemAdded(CARDS), new InvoiceSent()));
        commands.addAll(after("INV-3", created(ISSUED.minusDays(1)), new LineItemAdded(TUNING), new InvoiceSent(),
                new InvoiceOverdue(ISSUED.minusDays(1))));
        commands.addAll(after("INV-1", new InvoicePaid(new BigDecimal("360.00"))));
        commands.addAll(after("INV-2", new InvoiceCancelled("wrong customer")));
        for (Command<AccountCommand> command : commands) {
            Outcome<AccountEvent, Account> outcome = accounts.handle(ada, command, AT);
            assertThat(outcome.result()).as("%s", command).isInstanceOf(CommandResult.Accepted.class);
            ada = outcome.snapshot();
        }

        assertThat(ada.state().balances()).as("INV-3 alone is owed").isEqualTo(Map.of("EUR", new Balance(new BigDecimal("360.00"), 1)));
        assertThat(ada.version()).isEqualTo(5);
        // The same invoice charged again by another command (not a redelivery): refused, the balance unchanged.
        Outcome<AccountEvent, Account> again = accounts.handle(ada, Command.of("ada@example.com",
                new ChargeAccount("INV-3", "EUR", new BigDecimal("360.00"))), AT);
        assertThat(again.result()).isInstanceOf(CommandResult.Rejected.class);
        assertThat(again.snapshot().state().balances()).isEqualTo(Map.of("EUR", new Balance(new BigDecimal("360.00"), 1)));
    }

    @Test
    void shouldNameTheAccountByTheCustomersEmailInLowerCase() {
        assertThat(InvoiceAccounts.accountId(new Customer("Ada", " Ada@Example.COM "))).isEqualTo("ada@example.com");
    }

    /** The same rules through the test kit: the pure engine and the real topology, which must agree. */
    @Nested
    class OnBothRunners {

        final ProcessManagerFixture<InvoiceEvent, InvoiceBilling, AccountCommand> fixture =
                ProcessManagerFixture.of(Accounts.INVOICE_ACCOUNTS).withSourceAggregateId("INV-1");

        @Test
        void shouldChargeTheCustomersAccountWhenTheInvoiceIsSentAndCreditItWhenPaid() {
            fixture.given(new InvoiceCreated(ADA, ISSUED, ISSUED.plusDays(30), "EUR"), new LineItemAdded(TUNING))
                    .when(new InvoiceSent())
                    .thenSends("ada@example.com", new ChargeAccount("INV-1", "EUR", new BigDecimal("360.00")))
                    .and()
                    .whenResult(Reply.accepted())
                    .thenSendsNothing()
                    .and()
                    .when(new InvoicePaid(new BigDecimal("360.00")))
                    .thenSends("ada@example.com", new CreditAccount("INV-1", "EUR", new BigDecimal("360.00")));
        }

        @Test
        void shouldTakeARefusedChargeAsAnInputAndSendNothingMore() {
            fixture.given(new InvoiceCreated(ADA, ISSUED, ISSUED.plusDays(30), "EUR"), new LineItemAdded(TUNING))
                    .when(new InvoiceSent())
                    .thenSends("ada@example.com", new ChargeAccount("INV-1", "EUR", new BigDecimal("360.00")))
                    .and()
                    .whenResult(Reply.rejected(AccountRejections.INVOICE_ALREADY_CHARGED, "INV-1 was charged before"))
                    .thenSendsNothing()
                    .and()
                    .when(new InvoiceOverdue(ISSUED.plusDays(30)))
                    .thenSendsNothing();
        }
    }
}
