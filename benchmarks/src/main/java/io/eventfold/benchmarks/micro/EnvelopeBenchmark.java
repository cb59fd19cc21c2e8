package io.eventfold.benchmarks.micro;

import io.eventfold.kafka.json.EnvelopeSerdes;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
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
 * JSON encoding and decoding of the four envelopes through {@code Invoices.TYPE.serdes()}, on the
 * records of adding an eleventh line item: the command, its event, the snapshot with eleven
 * lines and the accepted result, which carries the event and the state again.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnvelopeBenchmark {

    private static final String TOPIC = "invoice";

    private EnvelopeSerdes<InvoiceCommand, InvoiceEvent, Invoice> serdes;
    private Command<InvoiceCommand> command;
    private Event<InvoiceEvent> event;
    private Snapshot<Invoice> snapshot;
    private CommandResult<InvoiceEvent, Invoice> result;
    private byte[] commandBytes;
    private byte[] eventBytes;
    private byte[] snapshotBytes;
    private byte[] resultBytes;

    /** Encodes each envelope once, for the decoding benchmarks. */
    @Setup
    public void setUp() {
        serdes = Invoices.TYPE.serdes();
        Outcome<InvoiceEvent, Invoice> outcome = InvoiceFixtures.outcome();
        command = InvoiceFixtures.nextLine();
        event = outcome.events().get(0);
        snapshot = outcome.snapshot();
        result = outcome.result();
        commandBytes = encodeCommand();
        eventBytes = encodeEvent();
        snapshotBytes = encodeSnapshot();
        resultBytes = encodeResult();
    }

    /** @return the command's JSON */
    @Benchmark
    public byte[] encodeCommand() {
        return serdes.commands().serializer().serialize(TOPIC, command);
    }

    /** @return the command read back */
    @Benchmark
    public Command<InvoiceCommand> decodeCommand() {
        return serdes.commands().deserializer().deserialize(TOPIC, commandBytes);
    }

    /** @return the event's JSON */
    @Benchmark
    public byte[] encodeEvent() {
        return serdes.events().serializer().serialize(TOPIC, event);
    }

    /** @return the event read back */
    @Benchmark
    public Event<InvoiceEvent> decodeEvent() {
        return serdes.events().deserializer().deserialize(TOPIC, eventBytes);
    }

    /** @return the snapshot's JSON */
    @Benchmark
    public byte[] encodeSnapshot() {
        return serdes.snapshots().serializer().serialize(TOPIC, snapshot);
    }

    /** @return the snapshot read back */
    @Benchmark
    public Snapshot<Invoice> decodeSnapshot() {
        return serdes.snapshots().deserializer().deserialize(TOPIC, snapshotBytes);
    }

    /** @return the result's JSON */
    @Benchmark
    public byte[] encodeResult() {
        return serdes.results().serializer().serialize(TOPIC, result);
    }

    /** @return the result read back */
    @Benchmark
    public CommandResult<InvoiceEvent, Invoice> decodeResult() {
        return serdes.results().deserializer().deserialize(TOPIC, resultBytes);
    }
}
