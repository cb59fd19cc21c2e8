package io.eventfold.examples.invoices.domain;

import io.eventfold.core.CommandResult;
import io.eventfold.core.DeadlineChange;
import io.eventfold.core.Decision;
import io.eventfold.examples.invoices.domain.InvoiceCommand.AddLineItem;
import io.eventfold.examples.invoices.domain.InvoiceCommand.CancelInvoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand.CreateInvoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand.MarkOverdue;
import io.eventfold.examples.invoices.domain.InvoiceCommand.PayInvoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand.RemoveLineItem;
import io.eventfold.examples.invoices.domain.InvoiceCommand.SendInvoice;
import io.eventfold.examples.invoices.domain.InvoiceEvent.LineItemAdded;
import io.eventfold.examples.invoices.domain.InvoiceEvent.LineItemRemoved;
import io.eventfold.testkit.AggregateFixture;
import io.eventfold.testkit.Scenario;
import io.eventfold.testkit.Then;
import io.eventfold.core.testing.Gen;
import io.eventfold.core.testing.PropertyRunner;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants of an invoice under any sequence of commands, 300 tries each. The pure fixture also
 * checks, after every command, that the state is the replay of all events so far.
 */
class InvoicePropertiesTest {

    private final AggregateFixture<InvoiceCommand, InvoiceEvent, Invoice> fixture = AggregateFixture.pure(new InvoiceAggregate());

    @Test
    void theTotalIsTheSumOfTheLinesAddedAndNotRemoved() {
        PropertyRunner.forAll(commands()).tries(300).check(commands -> {
            Map<String, BigDecimal> lines = new LinkedHashMap<>();
            Scenario<InvoiceCommand, InvoiceEvent, Invoice> scenario = fixture.givenNothing();
            for (InvoiceCommand command : commands) {
                Then<InvoiceCommand, InvoiceEvent, Invoice> then = scenario.when(command);
                then.thenEventsSatisfy(events -> events.forEach(event -> {
                    if (event instanceof LineItemAdded added) {
                        lines.put(added.lineItem().lineItemId(), added.lineItem().total());
                    } else if (event instanceof LineItemRemoved removed) {
                        lines.remove(removed.lineItemId());
                    }
                }));
                then.thenState(invoice -> assertThat(invoice.total())
                        .isEqualByComparingTo(lines.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)));
                scenario = then.and();
            }
        });
    }

    @Test
    void aPaidOrCancelledInvoiceNeverChangesAgain() {
        PropertyRunner.forAll(commands()).tries(300).checkWithCoverage((commands, coverage) -> {
            Scenario<InvoiceCommand, InvoiceEvent, Invoice> scenario = fixture.givenNothing();
            Invoice frozen = null;
            for (InvoiceCommand command : commands) {
                Then<InvoiceCommand, InvoiceEvent, Invoice> then = scenario.when(command);
                if (frozen != null) {
                    then.thenNoEvents().thenState(frozen);
                    assertThat(then.result()).isInstanceOf(CommandResult.Rejected.class);
                }
                Invoice[] state = new Invoice[1];
                then.thenState(invoice -> state[0] = invoice);
                if (state[0].status() == InvoiceStatus.PAID || state[0].status() == InvoiceStatus.CANCELLED) {
                    frozen = state[0];
                }
                scenario = then.and();
            }
            coverage.collect(frozen == null ? "never frozen" : frozen.status());
        })
                // The generator must reach both final states often enough for this property to mean something.
                .requireAtLeast(InvoiceStatus.PAID, 1)
                .requireAtLeast(InvoiceStatus.CANCELLED, 5);
    }

    /**
     * The "overdue" deadline, followed through every decision (a {@code MarkOverdue} in the
     * sequence stands for its firing, which removes it): it is pending exactly while the invoice
     * is SENT, so a paid, cancelled or overdue invoice never has one left to fire, and a sent one
     * always has one.
     */
    @Test
    void theOverdueDeadlineIsPendingExactlyWhileTheInvoiceIsSent() {
        InvoiceAggregate aggregate = new InvoiceAggregate();
        PropertyRunner.forAll(commands()).tries(300).checkWithCoverage((commands, coverage) -> {
            Invoice invoice = aggregate.initialState();
            boolean pending = false;
            boolean overdue = false;
            boolean cancelled = false;
            for (InvoiceCommand command : commands) {
                Decision<InvoiceEvent> decision = aggregate.decide(command, invoice);
                if (command instanceof MarkOverdue) {
                    pending = false;
                }
                if (decision instanceof Decision.Accepted<InvoiceEvent> accepted) {
                    for (InvoiceEvent event : accepted.events()) {
                        invoice = aggregate.evolve(invoice, event);
                    }
                    for (DeadlineChange change : accepted.deadlines()) {
                        assertThat(change.deadlineId()).isEqualTo(InvoiceAggregate.OVERDUE);
                        pending = change instanceof DeadlineChange.Schedule;
                        cancelled |= change instanceof DeadlineChange.Cancel;
                    }
                }
                overdue |= invoice.status() == InvoiceStatus.OVERDUE;
                assertThat(pending).as("the deadline pending after %s, the invoice %s", command, invoice.status())
                        .isEqualTo(invoice.status() == InvoiceStatus.SENT);
            }
            coverage.collect(overdue ? "went overdue" : cancelled ? "deadline cancelled" : pending ? "ends with it pending" : "no deadline left");
        })
                // Each way a deadline ends, and one still pending, must be common enough to mean something.
                .requireAtLeast("went overdue", 5)
                .requireAtLeast("deadline cancelled", 5)
                .requireAtLeast("ends with it pending", 5);
    }

    private static Gen<List<InvoiceCommand>> commands() {
        Gen<String> lineIds = Gen.of("li-1", "li-2", "li-3");
        Gen<Integer> quantities = Gen.ints(-1, 2);
        Gen<String> prices = Gen.of("0.25", "19.99", "120.00", "-1.00");
        Gen<String> taxRates = Gen.of("0", "0", "0.20", "1");
        Gen<LineItem> lineItems = random -> {
            String id = lineIds.next(random);
            return new LineItem(id, "item " + id, quantities.next(random), new BigDecimal(prices.next(random)),
                    new BigDecimal(taxRates.next(random)));
        };
        Gen<InvoiceCommand> command = Gen.frequency(
                Gen.weighted(3, Gen.constant(new CreateInvoice(InvoiceAggregateTest.ADA, InvoiceAggregateTest.ISSUED,
                        InvoiceAggregateTest.DUE, "EUR"))),
                Gen.weighted(4, lineItems.map(AddLineItem::new)),
                Gen.weighted(1, lineIds.map(RemoveLineItem::new)),
                Gen.weighted(3, Gen.constant(new SendInvoice())),
                Gen.weighted(4, Gen.of("0.25", "19.99", "39.98", "120.00", "139.99", "144.00", "240.00")
                        .map(amount -> new PayInvoice(new BigDecimal(amount)))),
                Gen.weighted(1, Gen.constant(new CancelInvoice("changed my mind"))),
                Gen.weighted(1, Gen.constant(new MarkOverdue())));
        Gen<List<InvoiceCommand>> random = command.list(1, 25);
        // Half the sequences start from a sent invoice, so payments that match its total are common.
        List<InvoiceCommand> sentInvoice = List.of(
                new CreateInvoice(InvoiceAggregateTest.ADA, InvoiceAggregateTest.ISSUED, InvoiceAggregateTest.DUE, "EUR"),
                new AddLineItem(new LineItem("li-1", "item li-1", 1, new BigDecimal("120.00"), BigDecimal.ZERO)),
                new SendInvoice());
        return Gen.oneOf(random, random.map(rest -> Stream.concat(sentInvoice.stream(), rest.stream()).toList()));
    }
}
