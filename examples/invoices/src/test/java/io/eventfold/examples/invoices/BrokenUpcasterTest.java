package io.eventfold.examples.invoices;

import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceAggregate;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.json.Upcasters;
import io.eventfold.testkit.CompatibilityCorpus;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The corpus check catches an upcaster that misspells the field it adds, naming the file, the record and the field. */
class BrokenUpcasterTest {

    /** As {@link InvoiceUpcasters#EVENTS}, but writes {@code taxrate} for {@code taxRate}. */
    private static final AggregateType<InvoiceCommand, InvoiceEvent, Invoice> MISSPELT =
            AggregateType.builder("invoice", new InvoiceAggregate())
                    .commands(InvoiceCommand.class, InvoiceUpcasters.COMMANDS)
                    .events(InvoiceEvent.class, Upcasters.builder()
                            .upcast("LineItemAdded", 1, json -> {
                                json.withObject("/lineItem").put("taxrate", BigDecimal.ZERO);
                                return json;
                            })
                            .rename("PaymentReceived", 1, "InvoicePaid")
                            .build())
                    .state(Invoice.class, 2)
                    .build();

    @Test
    void shouldFailTheCorpusNamingTheFileTheRecordAndTheField() {
        assertThatThrownBy(() -> CompatibilityCorpus.of(MISSPELT).events("corpus/v1").verify())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("corpus/v1/INV-C1.events.jsonl, line 2 (LineItemAdded v1 → v2): /lineItem/taxrate: 0 is not read (no such property)")
                .hasMessageContaining("corpus/v1/INV-C1.events.jsonl, line 2 (LineItemAdded v1 → v2): /lineItem/taxRate: missing (read as null)")
                .hasMessageContaining("corpus/v1/INV-C3.events.jsonl, line 2 (LineItemAdded v1 → v2): /lineItem/taxRate: missing (read as null)");
    }
}
