package io.eventfold.examples.invoices;

import io.eventfold.examples.invoices.domain.InvoiceCommand.AddLineItem;
import io.eventfold.examples.invoices.domain.InvoiceCommand.PayInvoice;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoicePaid;
import io.eventfold.examples.invoices.domain.InvoiceEvent.LineItemAdded;
import io.eventfold.examples.invoices.domain.InvoiceStatus;
import io.eventfold.examples.invoices.domain.LineItem;
import io.eventfold.examples.invoices.v1.InvoiceCommand;
import io.eventfold.examples.invoices.v1.InvoiceEvent;
import io.eventfold.examples.invoices.v1.InvoicesV1;
import io.eventfold.testkit.AggregateFixture;
import io.eventfold.testkit.CompatibilityCorpus;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events, commands and snapshots as the first released format of the invoice domain wrote them,
 * kept as files ({@code src/test/resources/corpus/v1}). Events are kept forever, so every later
 * version of the domain must upcast, read and fold them; commands of the first format may still
 * wait on the commands topic during an upgrade.
 */
class InvoiceCorpusTest {

    @Test
    void shouldBeTheRecordsTheFirstReleaseWroteCoveringEveryTypeItHad() {
        CompatibilityCorpus.Summary v1 = CompatibilityCorpus.of(InvoicesV1.TYPE)
                .events("corpus/v1")
                .commands("corpus/v1")
                .verify();

        assertThat(v1.statesCompared()).as("the first release's snapshots, each the fold of its history").isEqualTo(4);
        assertThat(v1.eventTypes()).as("every event type of the first release is in the corpus")
                .containsAll(simpleNames(InvoiceEvent.class));
        assertThat(v1.commandTypes()).as("every command type of the first release is in the corpus")
                .containsAll(simpleNames(InvoiceCommand.class));
    }

    @Test
    void shouldBeUpcastReadAndFoldedByTheCurrentRelease() {
        CompatibilityCorpus.Summary current = CompatibilityCorpus.of(Invoices.TYPE)
                .events("corpus/v1")
                .commands("corpus/v1")
                .verify();

        assertThat(current.statesCompared()).as("the *.state.json files: each history folded at state version 2")
                .isEqualTo(4);
    }

    @Test
    void shouldStartAScenarioOnAFirstReleaseDraftAndAddATaxedLine() {
        LineItem gears = new LineItem("li-2", "Brass gears", 10, new BigDecimal("4.50"), new BigDecimal("0.20"));
        AggregateFixture.of(Invoices.TYPE)
                .givenStored("corpus/v1/INV-C3.events.jsonl")
                .when(new AddLineItem(gears))
                .thenEvents(new LineItemAdded(gears))
                .thenVersion(3)
                .thenState(invoice -> assertThat(invoice.total()).isEqualTo("818.00"));   // 764.00 + 45.00 + 9.00 tax
    }

    @Test
    void shouldPayAFirstReleaseInvoiceWithTheRenamedEvent() {
        AggregateFixture.of(Invoices.TYPE)
                .givenStored("corpus/v1/INV-C4.events.jsonl")
                .when(new PayInvoice(new BigDecimal("600")))
                .thenEvents(new InvoicePaid(new BigDecimal("600")))
                .thenState(invoice -> assertThat(invoice.status()).isEqualTo(InvoiceStatus.PAID));
    }

    private static java.util.List<String> simpleNames(Class<?> sealed) {
        return Stream.of(sealed.getPermittedSubclasses()).map(Class::getSimpleName).toList();
    }
}
