package io.eventfold.benchmarks.e2e;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;

import java.util.concurrent.CompletableFuture;

/**
 * Sends an invoice command and completes when its result is read back: Eventfold's
 * {@link io.eventfold.kafka.CommandGateway} or the baseline's {@link PlainCommandClient}.
 */
interface CommandClient extends AutoCloseable {

    /** Sends a command; the future completes with its decoded result, or exceptionally. */
    CompletableFuture<CommandResult<InvoiceEvent, Invoice>> send(Command<InvoiceCommand> command);

    @Override
    void close();
}
