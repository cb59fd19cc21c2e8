package io.eventfold.examples.invoices.v1;

import io.eventfold.kafka.AggregateType;

/**
 * The invoice aggregate type as its first release built it: a frozen copy of that release's
 * domain (this package), whose classes have the same simple names and so write the same type
 * names and JSON. Tests use it to write records as the first release did, on a real broker
 * (InvoiceEvolutionIT); InvoiceCorpusTest pins it to the stored corpus, so the copy stays true.
 */
public final class InvoicesV1 {

    /** Same name, so same topics and stores, as {@code Invoices.TYPE}; state version 1. */
    public static final AggregateType<InvoiceCommand, InvoiceEvent, Invoice> TYPE =
            AggregateType.builder("invoice", new InvoiceAggregate())
                    .commands(InvoiceCommand.class)
                    .events(InvoiceEvent.class)
                    .state(Invoice.class)
                    .build();

    private InvoicesV1() {
    }
}
