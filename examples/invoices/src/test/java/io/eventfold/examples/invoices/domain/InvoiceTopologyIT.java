package io.eventfold.examples.invoices.domain;

import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.examples.invoices.Invoices;
import io.eventfold.examples.invoices.domain.InvoiceCommand.AddLineItem;
import io.eventfold.examples.invoices.domain.InvoiceCommand.CreateInvoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand.SendInvoice;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoiceSent;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.testkit.EventfoldKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.eventfold.examples.invoices.domain.InvoiceAggregateTest.ADA;
import static io.eventfold.examples.invoices.domain.InvoiceAggregateTest.DUE;
import static io.eventfold.examples.invoices.domain.InvoiceAggregateTest.ISSUED;
import static io.eventfold.examples.invoices.domain.InvoiceAggregateTest.TUNING;
import static io.eventfold.examples.invoices.domain.InvoiceRejections.INVOICE_EMPTY;
import static io.eventfold.testkit.EventfoldAssertions.assertThat;

/** Invoices through the real topology on a real broker, as the service sends them, without its HTTP API. */
class InvoiceTopologyIT {

    @RegisterExtension
    static final EventfoldKafka kafka = EventfoldKafka.running(Invoices.TYPE);

    @Test
    void shouldSendAnInvoiceWithLineItems() {
        CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> invoices = kafka.gateway(Invoices.TYPE);
        invoices.send("INV-1", new CreateInvoice(ADA, ISSUED, DUE, "EUR"), ExpectedVersion.noStream()).join();
        invoices.send("INV-1", new AddLineItem(TUNING), ExpectedVersion.exactly(1)).join();

        CommandResult<InvoiceEvent, Invoice> sent = invoices.send("INV-1", new SendInvoice(), ExpectedVersion.exactly(2)).join();

        assertThat(sent).isAccepted().hasVersion(3).hasEventPayloads(new InvoiceSent());
    }

    @Test
    void shouldRejectSendingAnEmptyInvoice() {
        CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> invoices = kafka.gateway(Invoices.TYPE);
        invoices.send("INV-2", new CreateInvoice(ADA, ISSUED, DUE, "EUR"), ExpectedVersion.noStream()).join();

        CommandResult<InvoiceEvent, Invoice> sent = invoices.send("INV-2", new SendInvoice(), ExpectedVersion.any()).join();

        assertThat(sent).isRejectedWith(INVOICE_EMPTY).hasVersion(1);
    }
}
