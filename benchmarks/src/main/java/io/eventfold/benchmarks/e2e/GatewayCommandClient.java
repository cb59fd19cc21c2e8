package io.eventfold.benchmarks.e2e;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Eventfold's client: a {@link CommandGateway} with a timeout long enough for a full-speed backlog. */
final class GatewayCommandClient implements CommandClient {

    private final CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> gateway;

    GatewayCommandClient(AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type, String bootstrapServers) {
        this.gateway = CommandGateway.builder(type, bootstrapServers).timeout(Duration.ofSeconds(60)).build();
    }

    @Override
    public CompletableFuture<CommandResult<InvoiceEvent, Invoice>> send(Command<InvoiceCommand> command) {
        return gateway.send(command);
    }

    @Override
    public void close() {
        gateway.close();
    }
}
