package io.eventfold.examples.invoices.domain;

import io.eventfold.core.CommandResult;
import io.eventfold.examples.invoices.domain.InvoiceCommand.AddLineItem;
import io.eventfold.examples.invoices.domain.InvoiceCommand.CancelInvoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand.CreateInvoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand.PayInvoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand.RemoveLineItem;
import io.eventfold.examples.invoices.domain.InvoiceCommand.SendInvoice;
import io.eventfold.examples.invoices.domain.InvoiceEvent.LineItemAdded;
import io.eventfold.examples.invoices.domain.InvoiceEvent.LineItemRemoved;
import io.eventfold.testkit.AggregateFixture;
import io.eventfold.testkit.Scenario;
import io.eventfold.testkit.Then;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants of an invoice under any sequence of commands. The pure fixture also checks, after
 * every command, that the state is the replay of all events so far.
 */
class InvoicePropertiesTest {

    private final AggregateFixture<InvoiceCommand, InvoiceEvent, Invoice> fixture = AggregateFixture.pure(new InvoiceAggregate());

    @Property(tries = 300)
    void theTotalIsTheSumOfTheLinesAddedAndNotRemoved(@ForAll("commands") List<InvoiceCommand> commands) {
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
    }

    @Property(tries = 300)
    void aPaidOrCancelledInvoiceNeverChangesAgain(@ForAll("commands") List<InvoiceCommand> commands) {
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
        Statistics.collect(frozen == null ? "never frozen" : frozen.status());
        // The generator must reach both final states often enough for this property to mean something.
        Statistics.coverage(coverage -> {
            coverage.check(InvoiceStatus.PAID).percentage(percent -> percent >= 1);
            coverage.check(InvoiceStatus.CANCELLED).percentage(percent -> percent >= 5);
        });
    }

    @Provide
    Arbitrary<List<InvoiceCommand>> commands() {
        Arbitrary<String> lineIds = Arbitraries.of("li-1", "li-2", "li-3");
        Arbitrary<LineItem> lineItems = net.jqwik.api.Combinators.combine(
                        lineIds, Arbitraries.integers().between(-1, 2), Arbitraries.of("0.25", "19.99", "120.00", "-1.00"))
                .as((id, quantity, price) -> new LineItem(id, "item " + id, quantity, new BigDecimal(price)));
        Arbitrary<InvoiceCommand> command = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(new CreateInvoice(InvoiceAggregateTest.ADA, InvoiceAggregateTest.ISSUED,
                        InvoiceAggregateTest.DUE, "EUR"))),
                Tuple.of(4, lineItems.map(AddLineItem::new)),
                Tuple.of(1, lineIds.map(RemoveLineItem::new)),
                Tuple.of(3, Arbitraries.just(new SendInvoice())),
                Tuple.of(4, Arbitraries.of("0.25", "19.99", "39.98", "120.00", "139.99", "240.00")
                        .map(amount -> new PayInvoice(new BigDecimal(amount)))),
                Tuple.of(1, Arbitraries.just(new CancelInvoice("changed my mind"))));
        Arbitrary<List<InvoiceCommand>> random = command.list().ofMinSize(1).ofMaxSize(25);
        // Half the sequences start from a sent invoice, so payments that match its total are common.
        List<InvoiceCommand> sentInvoice = List.of(
                new CreateInvoice(InvoiceAggregateTest.ADA, InvoiceAggregateTest.ISSUED, InvoiceAggregateTest.DUE, "EUR"),
                new AddLineItem(new LineItem("li-1", "item li-1", 1, new BigDecimal("120.00"))),
                new SendInvoice());
        return Arbitraries.oneOf(random, random.map(rest -> java.util.stream.Stream.concat(sentInvoice.stream(), rest.stream()).toList()));
    }
}
