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
import java.util.concurrent.Executor;

/**
 * Asks the invoice's entity, started on its first command: one actor per invoice in this JVM, no
 * sharding and no passivation, so an entity recovers (reads the journal) once, on its first command.
 */
final class PekkoCommandClient implements CommandClient {

    /** Far beyond any latency of a pass; the load generator gives up on a run after 3 minutes anyway. */
    private static final Duration ASK_TIMEOUT = Duration.ofMinutes(3);

    /**
     * Where the ask's completion is handed on. The stage {@code AskPattern.ask} returns is Scala's
     * {@code CompletableFuture} adapter, which turns every non-async callback into an async one on
     * the common pool; on two cores that pool has one thread, so the JDK runs each callback on a new
     * thread (two thread starts per command, measured with JFR). Hence a plain future of our own,
     * completed on the thread that completes the ask: a stage chained on the adapter would be an
     * adapter again.
     */
    private static final Executor SAME_THREAD = Runnable::run;

    private final ActorSystem<?> system;
    private final Map<String, ActorRef<InvoiceEntity.Handle>> entities = new ConcurrentHashMap<>();

    PekkoCommandClient(ActorSystem<?> system) {
        this.system = system;
    }

    @Override
    public CompletableFuture<CommandResult<InvoiceEvent, Invoice>> send(Command<InvoiceCommand> command) {
        ActorRef<InvoiceEntity.Handle> entity = entities.computeIfAbsent(command.aggregateId(), id ->
                system.systemActorOf(Behaviors.setup(context -> new InvoiceEntity(id)), id, Props.empty()));
        CompletableFuture<CommandResult<InvoiceEvent, Invoice>> result = new CompletableFuture<>();
        AskPattern.<InvoiceEntity.Handle, CommandResult<InvoiceEvent, Invoice>>ask(entity,
                        replyTo -> new InvoiceEntity.Handle(command, replyTo), ASK_TIMEOUT, system.scheduler())
                .whenCompleteAsync((answer, failure) -> complete(result, answer, failure), SAME_THREAD);
        return result;
    }

    private static <T> void complete(CompletableFuture<T> result, T answer, Throwable failure) {
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(answer);
        }
    }

    /** The entities stop with the actor system, which the benchmark terminates. */
    @Override
    public void close() {
        entities.clear();
    }
}
