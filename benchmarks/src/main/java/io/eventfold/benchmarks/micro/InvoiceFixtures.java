package io.eventfold.benchmarks.micro;

import io.eventfold.benchmarks.workload.InvoiceWorkload;
import io.eventfold.core.Command;
import io.eventfold.core.CommandEngine;
import io.eventfold.core.Outcome;
import io.eventfold.core.Snapshot;
import io.eventfold.examples.invoices.Invoices;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;

import java.time.Instant;

/**
 * A draft invoice with ten line items and the command that adds its eleventh: the typical
 * mid-life command of the load workload, shared by the micro benchmarks.
 */
final class InvoiceFixtures {

    static final int LINES = 10;
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private InvoiceFixtures() {
    }

    /** The snapshot after creating the invoice and adding {@link #LINES} lines. */
    static Snapshot<Invoice> draftWithLines() {
        InvoiceWorkload workload = new InvoiceWorkload("bench", 1, LINES + 2);
        CommandEngine<InvoiceCommand, InvoiceEvent, Invoice> engine = Invoices.TYPE.engine();
        Snapshot<Invoice> snapshot = Snapshot.initial("bench-0", engine.aggregate());
        for (int i = 0; i <= LINES; i++) {
            snapshot = engine.handle(snapshot, workload.command(i), NOW).snapshot();
        }
        return snapshot;
    }

    /** The command that adds the next line to {@link #draftWithLines()}. */
    static Command<InvoiceCommand> nextLine() {
        return new InvoiceWorkload("bench", 1, LINES + 2).command(LINES + 1);
    }

    /** The outcome of {@link #nextLine()} on {@link #draftWithLines()}: one event, a new snapshot, an accepted result. */
    static Outcome<InvoiceEvent, Invoice> outcome() {
        return Invoices.TYPE.engine().handle(draftWithLines(), nextLine(), NOW);
    }
}
