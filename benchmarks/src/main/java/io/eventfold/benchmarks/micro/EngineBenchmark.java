package io.eventfold.benchmarks.micro;

import io.eventfold.core.Command;
import io.eventfold.core.CommandEngine;
import io.eventfold.core.Outcome;
import io.eventfold.core.Snapshot;
import io.eventfold.examples.invoices.Invoices;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * {@code CommandEngine.handle} on the invoice aggregate: the pure part of every command,
 * without JSON or stores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark {

    private CommandEngine<InvoiceCommand, InvoiceEvent, Invoice> engine;
    private Snapshot<Invoice> draft;
    private Command<InvoiceCommand> addLine;

    /** Builds the draft invoice and the command once per trial. */
    @Setup
    public void setUp() {
        engine = Invoices.TYPE.engine();
        draft = InvoiceFixtures.draftWithLines();
        addLine = InvoiceFixtures.nextLine();
    }

    /**
     * Adds a line item to a draft with ten lines.
     *
     * @return the outcome, so the JIT cannot drop the work
     */
    @Benchmark
    public Outcome<InvoiceEvent, Invoice> handleAddLineItem() {
        return engine.handle(draft, addLine, InvoiceFixtures.NOW);
    }
}
