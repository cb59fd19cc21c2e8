package io.eventfold.benchmarks.baseline;

import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Decision;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceAggregate;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The least a hand-written invoice processor does: read the snapshot, call {@code decide} and
 * {@code evolve}, store the new snapshot, forward events, snapshot and result (the version and the
 * events, not the state, as Eventfold's gateway gets by default). No deduplication,
 * no expected-version check, no handling of bad input, no size checks: everything Eventfold adds
 * on top is what the benchmark compares against this.
 *
 * <p>Optionally it also deduplicates, the way a hand-written processor would: one more store,
 * command id → result, read before and written after every command, never expired. That variant
 * explains the comparison; the targets are set against the plain one.
 */
final class BaselineProcessor implements Processor<String, Command<InvoiceCommand>, String, Object> {

    private final InvoiceAggregate aggregate = new InvoiceAggregate();
    private final boolean deduplicate;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Snapshot<Invoice>> snapshots;
    private KeyValueStore<String, CommandResult<InvoiceEvent, Invoice>> results;

    BaselineProcessor(boolean deduplicate) {
        this.deduplicate = deduplicate;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.snapshots = context.getStateStore(BaselineTopology.SNAPSHOT_STORE);
        if (deduplicate) {
            this.results = context.getStateStore(BaselineTopology.COMMAND_ID_STORE);
        }
    }

    @Override
    public void process(Record<String, Command<InvoiceCommand>> record) {
        Command<InvoiceCommand> command = record.value();
        String key = record.key();
        if (deduplicate) {
            CommandResult<InvoiceEvent, Invoice> earlier = results.get(command.commandId());
            if (earlier != null) {
                forward(record, BaselineTopology.RESULTS_SINK, command, earlier);
                return;
            }
        }
        Snapshot<Invoice> current = snapshots.get(key);
        if (current == null) {
            current = Snapshot.initial(key, aggregate);
        }
        Decision<InvoiceEvent> decision = aggregate.decide(command.payload(), current.state());
        if (decision instanceof Decision.Rejected<InvoiceEvent> rejected) {
            answer(record, command, new CommandResult.Rejected<>(command.commandId(), key, current.version(), rejected.rejection()));
            return;
        }
        Instant now = Instant.ofEpochMilli(record.timestamp());
        Invoice state = current.state();
        long version = current.version();
        List<Event<InvoiceEvent>> events = new ArrayList<>();
        for (InvoiceEvent payload : ((Decision.Accepted<InvoiceEvent>) decision).events()) {
            state = aggregate.evolve(state, payload);
            events.add(new Event<>(key, ++version, command.commandId(), now, payload));
        }
        Snapshot<Invoice> next = new Snapshot<>(key, version, state);
        snapshots.put(key, next);
        for (Event<InvoiceEvent> event : events) {
            forward(record, BaselineTopology.EVENTS_SINK, command, event);
        }
        forward(record, BaselineTopology.SNAPSHOTS_SINK, command, next);
        // Without the state, as Eventfold answers a sender that does not ask for it: the client gets the same.
        answer(record, command, new CommandResult.Accepted<InvoiceEvent, Invoice>(command.commandId(), key, version, events,
                Optional.empty()));
    }

    private void answer(Record<String, Command<InvoiceCommand>> record, Command<InvoiceCommand> command,
                        CommandResult<InvoiceEvent, Invoice> result) {
        if (deduplicate) {
            results.put(command.commandId(), result);
        }
        forward(record, BaselineTopology.RESULTS_SINK, command, result);
    }

    /** Every output carries the command id header, which is how clients match results to commands. */
    private void forward(Record<String, Command<InvoiceCommand>> record, String sink, Command<InvoiceCommand> command,
                         Object value) {
        Headers headers = new RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, command.commandId());
        context.forward(new Record<>(record.key(), value, record.timestamp(), headers), sink);
    }
}
