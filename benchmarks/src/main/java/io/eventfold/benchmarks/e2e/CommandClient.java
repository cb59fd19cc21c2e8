package io.eventfold.benchmarks.e2e;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;

import java.util.concurrent.CompletableFuture;

/**
 * Sends an invoice command and completes when its result is back: Eventfold's
 * {@link io.eventfold.kafka.CommandGateway}, the baseline's {@link PlainCommandClient}, or the
 * Pekko peer's ask of an entity.
 *
 * <pre>{@code
 * try (CommandClient client = ...) {
 *     client.send(workload.command(0)).join().kind();   // ACCEPTED
 * }
 * }</pre>
 */
public interface CommandClient extends AutoCloseable {

    /**
     * Sends a command.
     *
     * @param command the command
     * @return completes with its result, or exceptionally when it could not be sent or answered
     */
    CompletableFuture<CommandResult<InvoiceEvent, Invoice>> send(Command<InvoiceCommand> command);

    /** Releases the client; commands still awaiting their result fail. */
    @Override
    void close();
}
