package io.eventfold.benchmarks.peer;

import io.eventfold.benchmarks.e2e.CommandClient;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks the invoice's entity, started on its first command: one actor per invoice in this JVM, no
 * sharding and no passivation, so an entity recovers (reads the journal) once, on its first command.
 */
final class PekkoCommandClient implements CommandClient {

    /** Far beyond any latency of a pass; the load generator gives up on a run after 3 minutes anyway. */
    private static final Duration ASK_TIMEOUT = Duration.ofMinutes(3);

    private final ActorSystem<?> system;
    private final Map<String, ActorRef<InvoiceEntity.Handle>> entities = new ConcurrentHashMap<>();

    PekkoCommandClient(ActorSystem<?> system) {
        this.system = system;
    }

    @Override
    public CompletableFuture<CommandResult<InvoiceEvent, Invoice>> send(Command<InvoiceCommand> command) {
        ActorRef<InvoiceEntity.Handle> entity = entities.computeIfAbsent(command.aggregateId(), id ->
                system.systemActorOf(Behaviors.setup(context -> new InvoiceEntity(id)), id, Props.empty()));
        return AskPattern.<InvoiceEntity.Handle, CommandResult<InvoiceEvent, Invoice>>ask(entity,
                replyTo -> new InvoiceEntity.Handle(command, replyTo), ASK_TIMEOUT, system.scheduler()).toCompletableFuture();
    }

    /** The entities stop with the actor system, which the benchmark terminates. */
    @Override
    public void close() {
        entities.clear();
    }
}
