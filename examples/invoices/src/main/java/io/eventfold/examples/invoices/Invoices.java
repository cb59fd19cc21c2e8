package io.eventfold.examples.invoices;

import io.eventfold.core.MetadataPolicy;
import io.eventfold.kafka.AggregateType;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceAggregate;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;

/**
 * The invoice aggregate type: topics {@code invoice-commands}, {@code invoice-events},
 * {@code invoice-snapshots}, {@code invoice-command-results} and {@code invoice-commands-dlq}.
 *
 * <pre>{@code
 * Topology topology = EventSourcedTopology.of(Invoices.TYPE);
 * }</pre>
 */
public final class Invoices {

    /** The metadata key of the user who sent a command, the one key the invoice events keep. */
    public static final String USER = "user";

    /** The one instance the application, its tests and its tools share. */
    public static final AggregateType<InvoiceCommand, InvoiceEvent, Invoice> TYPE =
            AggregateType.builder("invoice", new InvoiceAggregate())
                    .commands(InvoiceCommand.class, InvoiceUpcasters.COMMANDS)
                    .events(InvoiceEvent.class, InvoiceUpcasters.EVENTS)
                    // 2: LineItem gained taxRate, so a snapshot of the first release is rebuilt from the events.
                    .state(Invoice.class, 2)
                    // Events are kept for good and the audit trail needs only who did it: the API sends
                    // "user", and whatever else another client puts in a command's metadata (a token, an
                    // address) stays on the commands topic for its 7 days and is not copied into events.
                    .metadata(MetadataPolicy.only(USER))
                    .build();

    private Invoices() {
    }
}
