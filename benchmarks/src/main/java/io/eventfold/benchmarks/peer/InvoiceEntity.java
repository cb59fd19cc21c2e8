package io.eventfold.benchmarks.peer;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Decision;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceAggregate;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One invoice as a Pekko persistent actor, doing the domain work Eventfold's command engine does:
 * the expected-version check, {@link InvoiceAggregate#decide}, and {@link InvoiceAggregate#evolve}
 * (in the event handler, once per event, as Pekko wants it). It persists the bare
 * {@link InvoiceEvent}s and replies with the same {@link CommandResult} Eventfold's gateway
 * returns, once the journal has written them.
 */
final class InvoiceEntity extends EventSourcedBehaviorWithEnforcedReplies<InvoiceEntity.Handle, InvoiceEvent, Snapshot<Invoice>> {

    private static final InvoiceAggregate AGGREGATE = new InvoiceAggregate();

    /** A command and where its result goes; never serialized, it stays in the JVM. */
    record Handle(Command<InvoiceCommand> command, ActorRef<CommandResult<InvoiceEvent, Invoice>> replyTo) {
    }

    private final String invoiceId;

    InvoiceEntity(String invoiceId) {
        super(PersistenceId.ofUniqueId(invoiceId));
        this.invoiceId = invoiceId;
    }

    @Override
    public Snapshot<Invoice> emptyState() {
        return Snapshot.initial(invoiceId, AGGREGATE);
    }

    @Override
    public CommandHandlerWithReply<Handle, InvoiceEvent, Snapshot<Invoice>> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Handle.class, this::handle).build();
    }

    private ReplyEffect<InvoiceEvent, Snapshot<Invoice>> handle(Snapshot<Invoice> current, Handle handle) {
        Command<InvoiceCommand> command = handle.command();
        if (!command.expectedVersion().matches(current.version())) {
            return Effect().reply(handle.replyTo(), new CommandResult.Conflict<>(command.commandId(), invoiceId,
                    current.version(), command.expectedVersion()));
        }
        Decision<InvoiceEvent> decision;
        try {
            decision = AGGREGATE.decide(command.payload(), current.state());
        } catch (RuntimeException failure) {
            return Effect().reply(handle.replyTo(), new CommandResult.Failed<>(command.commandId(), invoiceId,
                    current.version(), failure.getClass().getName(), String.valueOf(failure.getMessage())));
        }
        if (decision instanceof Decision.Rejected<InvoiceEvent> rejected) {
            return Effect().reply(handle.replyTo(), new CommandResult.Rejected<>(command.commandId(), invoiceId,
                    current.version(), rejected.rejection()));
        }
        List<InvoiceEvent> payloads = ((Decision.Accepted<InvoiceEvent>) decision).events();
        Instant now = Instant.now();
        return Effect().persist(payloads).thenReply(handle.replyTo(), next -> {
            List<Event<InvoiceEvent>> events = new ArrayList<>(payloads.size());
            long version = next.version() - payloads.size();
            for (InvoiceEvent payload : payloads) {
                events.add(new Event<>(invoiceId, ++version, command.commandId(), now, payload));
            }
            return new CommandResult.Accepted<>(command.commandId(), invoiceId, next.version(), events, next.state());
        });
    }

    @Override
    public EventHandler<Snapshot<Invoice>, InvoiceEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((current, event) ->
                new Snapshot<>(invoiceId, current.version() + 1, AGGREGATE.evolve(current.state(), event)));
    }
}
