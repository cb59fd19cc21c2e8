package io.eventfold.examples.invoices;

import io.eventfold.core.Command;
import io.eventfold.core.CommandEngine;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Outcome;
import io.eventfold.core.Snapshot;
import io.eventfold.examples.invoices.domain.Customer;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceAggregate;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceCommand.AddLineItem;
import io.eventfold.examples.invoices.domain.InvoiceCommand.CreateInvoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand.PayInvoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand.SendInvoice;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.examples.invoices.domain.LineItem;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Runs the life of one invoice through the {@link CommandEngine}, in memory, and prints every
 * command with its result and events.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples/invoices -am compile -Prun
 * }</pre>
 */
public final class InvoicesApp {

    private final CommandEngine<InvoiceCommand, InvoiceEvent, Invoice> engine = CommandEngine.of(new InvoiceAggregate());
    private final PrintStream out;
    private Snapshot<Invoice> snapshot;

    InvoicesApp(String invoiceId, PrintStream out) {
        this.out = out;
        this.snapshot = Snapshot.initial(invoiceId, engine.aggregate());
    }

    /**
     * Starts the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        new InvoicesApp("INV-2026-0001", System.out).walkThrough();
    }

    void walkThrough() {
        LocalDate issued = LocalDate.of(2026, 11, 22);
        out.println("Invoice " + snapshot.aggregateId() + ", handled in memory by the CommandEngine:");
        send(new CreateInvoice(new Customer("Ada Lovelace", "ada@example.com"), issued, issued.plusDays(30), "EUR"),
                ExpectedVersion.noStream());
        send(new SendInvoice(), ExpectedVersion.any());
        send(new AddLineItem(new LineItem("li-1", "Analytical engine tuning", 3, new BigDecimal("120.00"))),
                ExpectedVersion.exactly(1));
        send(new AddLineItem(new LineItem("li-2", "Punched cards", 200, new BigDecimal("0.25"))), ExpectedVersion.exactly(1));
        send(new AddLineItem(new LineItem("li-2", "Punched cards", 200, new BigDecimal("0.25"))), ExpectedVersion.exactly(2));
        send(new SendInvoice(), ExpectedVersion.any());
        send(new PayInvoice(new BigDecimal("400.00")), ExpectedVersion.any());
        send(new PayInvoice(new BigDecimal("410.00")), ExpectedVersion.any());
        out.printf("Final state at version %d: %s, total %s %s%n", snapshot.version(), snapshot.state().status(),
                snapshot.state().total(), snapshot.state().currency());
    }

    private void send(InvoiceCommand payload, ExpectedVersion expected) {
        Command<InvoiceCommand> command = Command.of(snapshot.aggregateId(), payload).withExpectedVersion(expected);
        Outcome<InvoiceEvent, Invoice> outcome = engine.handle(snapshot, command, Instant.now());
        snapshot = outcome.snapshot();
        out.printf("%n> %s (expected version %s)%n  %s%n", payload, expected, describe(outcome.result()));
        for (Event<InvoiceEvent> event : outcome.events()) {
            out.printf("  v%d %s%n", event.version(), event.payload());
        }
    }

    private static String describe(CommandResult<InvoiceEvent, Invoice> result) {
        if (result instanceof CommandResult.Rejected<InvoiceEvent, Invoice> rejected) {
            return "REJECTED " + rejected.rejection().code() + ": " + rejected.rejection().message();
        }
        if (result instanceof CommandResult.Conflict<InvoiceEvent, Invoice> conflict) {
            return "CONFLICT: expected " + conflict.expected() + " but the invoice is at version " + conflict.version();
        }
        if (result instanceof CommandResult.Failed<InvoiceEvent, Invoice> failed) {
            return "FAILED " + failed.errorType() + ": " + failed.message();
        }
        return "ACCEPTED at version " + result.version();
    }

}
