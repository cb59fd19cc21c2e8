package io.eventfold.examples.invoices;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Rejection;
import io.eventfold.core.Snapshot;
import io.eventfold.examples.invoices.domain.Customer;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.examples.invoices.domain.InvoiceStatus;
import io.eventfold.examples.invoices.domain.LineItem;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The envelope JSON shown in docs/topology.md, kept true: each string below is quoted there. These
 * are the current format's bytes; the first release's stay pinned by the corpus (InvoiceCorpusTest).
 */
class InvoiceEnvelopeTest {

    private static final Instant AT = Instant.parse("2026-11-22T09:30:00Z");
    private static final LineItem CARDS = new LineItem("li-2", "Punched cards", 200, new BigDecimal("0.25"), new BigDecimal("0.20"));

    private static <T> String json(Serde<T> serde, T value) {
        String json = new String(serde.serializer().serialize("", value), StandardCharsets.UTF_8);
        assertThat(serde.deserializer().deserialize("", json.getBytes(StandardCharsets.UTF_8))).isEqualTo(value);
        return json;
    }

    @Test
    void shouldWriteTheEnvelopesShownInTheDocs() {
        var serdes = Invoices.TYPE.serdes();
        Invoice draft = new Invoice(InvoiceStatus.DRAFT, new Customer("Ada Lovelace", "ada@example.com"),
                LocalDate.of(2026, 11, 22), LocalDate.of(2026, 12, 22), "EUR", List.of(CARDS));

        assertThat(json(serdes.commands(), new Command<>("cmd-7", "INV-7", ExpectedVersion.exactly(2),
                (InvoiceCommand) new InvoiceCommand.AddLineItem(CARDS), Map.of("user", "ada"))))
                .isEqualTo("{\"commandId\":\"cmd-7\",\"aggregateId\":\"INV-7\",\"expectedVersion\":2,\"type\":\"AddLineItem\",\"typeVersion\":2,"
                        + "\"payload\":{\"lineItem\":{\"lineItemId\":\"li-2\",\"description\":\"Punched cards\",\"quantity\":200,"
                        + "\"unitPrice\":0.25,\"taxRate\":0.20}},\"metadata\":{\"user\":\"ada\"}}");
        // A payment recorded in answer to a bank notification continues the notification's chain.
        assertThat(json(serdes.commands(), new Command<>("cmd-11", "INV-7", ExpectedVersion.any(),
                (InvoiceCommand) new InvoiceCommand.PayInvoice(new BigDecimal("60.00")), Map.of("user", "bank-feed"), "bank-tx-1187")))
                .isEqualTo("{\"commandId\":\"cmd-11\",\"correlationId\":\"bank-tx-1187\",\"aggregateId\":\"INV-7\",\"expectedVersion\":\"any\",\"type\":\"PayInvoice\","
                        + "\"payload\":{\"amount\":60.00},\"metadata\":{\"user\":\"bank-feed\"}}");
        // The event of cmd-7 keeps its user; its correlation id is its command id, so it is not written.
        assertThat(json(serdes.events(), new Event<>("INV-7", 3, "cmd-7", AT, (InvoiceEvent) new InvoiceEvent.LineItemAdded(CARDS),
                null, Map.of("user", "ada"))))
                .isEqualTo("{\"aggregateId\":\"INV-7\",\"version\":3,\"type\":\"LineItemAdded\",\"typeVersion\":2,\"commandId\":\"cmd-7\","
                        + "\"timestamp\":\"2026-11-22T09:30:00Z\",\"payload\":{\"lineItem\":{\"lineItemId\":\"li-2\","
                        + "\"description\":\"Punched cards\",\"quantity\":200,\"unitPrice\":0.25,\"taxRate\":0.20}},"
                        + "\"metadata\":{\"user\":\"ada\"}}");
        assertThat(json(serdes.events(), new Event<>("INV-7", 5, "cmd-11", AT, (InvoiceEvent) new InvoiceEvent.InvoicePaid(new BigDecimal("60.00")),
                "bank-tx-1187", Map.of("user", "bank-feed"))))
                .isEqualTo("{\"aggregateId\":\"INV-7\",\"version\":5,\"type\":\"InvoicePaid\",\"commandId\":\"cmd-11\","
                        + "\"correlationId\":\"bank-tx-1187\",\"timestamp\":\"2026-11-22T09:30:00Z\",\"payload\":{\"amount\":60.00},"
                        + "\"metadata\":{\"user\":\"bank-feed\"}}");
        // Without metadata, of a command that started its chain: the bytes of every event written before either existed.
        assertThat(json(serdes.events(), new Event<>("INV-7", 3, "cmd-7", AT, (InvoiceEvent) new InvoiceEvent.LineItemAdded(CARDS))))
                .isEqualTo("{\"aggregateId\":\"INV-7\",\"version\":3,\"type\":\"LineItemAdded\",\"typeVersion\":2,\"commandId\":\"cmd-7\","
                        + "\"timestamp\":\"2026-11-22T09:30:00Z\",\"payload\":{\"lineItem\":{\"lineItemId\":\"li-2\","
                        + "\"description\":\"Punched cards\",\"quantity\":200,\"unitPrice\":0.25,\"taxRate\":0.20}}}");
        assertThat(json(serdes.snapshots(), new Snapshot<>("INV-7", 3, draft)))
                .isEqualTo("{\"aggregateId\":\"INV-7\",\"version\":3,\"type\":\"Invoice\",\"stateVersion\":2,\"state\":{\"status\":\"DRAFT\","
                        + "\"customer\":{\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\"},\"issueDate\":\"2026-11-22\","
                        + "\"dueDate\":\"2026-12-22\",\"currency\":\"EUR\",\"lineItems\":[{\"lineItemId\":\"li-2\","
                        + "\"description\":\"Punched cards\",\"quantity\":200,\"unitPrice\":0.25,\"taxRate\":0.20}]}}");
        assertThat(json(serdes.results(), new CommandResult.Rejected<>("cmd-8", "INV-7", 3,
                new Rejection("INVOICE_EMPTY", "an invoice without line items cannot be sent"))))
                .isEqualTo("{\"kind\":\"REJECTED\",\"commandId\":\"cmd-8\",\"aggregateId\":\"INV-7\",\"version\":3,"
                        + "\"rejection\":{\"code\":\"INVOICE_EMPTY\",\"message\":\"an invoice without line items cannot be sent\"}}");
        assertThat(json(serdes.results(), new CommandResult.Conflict<>("cmd-9", "INV-7", 3, ExpectedVersion.exactly(2))))
                .isEqualTo("{\"kind\":\"CONFLICT\",\"commandId\":\"cmd-9\",\"aggregateId\":\"INV-7\",\"version\":3,\"expectedVersion\":2}");
        assertThat(json(serdes.results(), new CommandResult.Failed<>("cmd-10", "INV-7", 3,
                "io.eventfold.kafka.EnvelopeFormatException", "unknown InvoiceCommand type 'Refund'; known types: [...]")))
                .isEqualTo("{\"kind\":\"FAILED\",\"commandId\":\"cmd-10\",\"aggregateId\":\"INV-7\",\"version\":3,"
                        + "\"errorType\":\"io.eventfold.kafka.EnvelopeFormatException\","
                        + "\"message\":\"unknown InvoiceCommand type 'Refund'; known types: [...]\"}");
    }
}
