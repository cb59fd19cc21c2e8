package io.eventfold.examples.invoices.reliability;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.kafka.client.CommandTimeoutException;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.examples.invoices.domain.Customer;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.examples.invoices.domain.LineItem;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that take invoices through create, line items (two unless told) and send, each
 * expecting the version before it ({@code ExpectedVersion.exactly}), each command retried with
 * the same command id whenever its result does not come in time: what a careful client does
 * while the service is being killed.
 */
final class InvoiceLoad {

    private final AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type;
    private final String bootstrapServers;
    private final String prefix;
    private final int invoices;
    private final int clients;
    private final Duration deadline;
    private final int lineItems;
    private final Duration pause;

    final Map<String, CommandResult<InvoiceEvent, Invoice>> results = new ConcurrentHashMap<>();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger retries = new AtomicInteger();

    InvoiceLoad(AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type, String bootstrapServers, int invoices, int clients,
                Duration deadline) {
        this(type, bootstrapServers, "INV-" + type.name() + "-", invoices, clients, deadline);
    }

    /** A load on invoices whose ids start with {@code prefix}, so that two loads on one type never share an invoice. */
    InvoiceLoad(AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type, String bootstrapServers, String prefix, int invoices,
                int clients, Duration deadline) {
        this(type, bootstrapServers, prefix, invoices, clients, deadline, 2, Duration.ZERO);
    }

    /**
     * A load whose invoices get {@code lineItems} line items each (so {@code lineItems + 2} versions),
     * every client pausing {@code pause} after each command, so that the load lasts.
     */
    InvoiceLoad(AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type, String bootstrapServers, String prefix, int invoices,
                int clients, Duration deadline, int lineItems, Duration pause) {
        this.lineItems = lineItems;
        this.pause = pause;
        this.prefix = prefix;
        this.type = type;
        this.bootstrapServers = bootstrapServers;
        this.invoices = invoices;
        this.clients = clients;
        this.deadline = deadline;
    }

    int total() {
        return invoices * commandsPerInvoice();
    }

    /** Create, the line items, send: the invoice's last version. */
    int commandsPerInvoice() {
        return lineItems + 2;
    }

    void run() throws Exception {
        long until = System.nanoTime() + deadline.toNanos();
        List<CommandGateway<InvoiceCommand, InvoiceEvent, Invoice>> gateways = List.of(gateway(), gateway());
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < clients; client++) {
                int first = client;
                CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> gateway = gateways.get(client % gateways.size());
                done.add(threads.submit(() -> {
                    for (int invoice = first; invoice < invoices; invoice += clients) {
                        for (Command<InvoiceCommand> command : commandsOf(prefix + invoice)) {
                            results.put(command.commandId(), untilAnswered(gateway, command, until));
                            completed.incrementAndGet();
                            if (!pause.isZero()) {
                                Thread.sleep(pause.toMillis());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(deadline.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            }
        } finally {
            threads.shutdownNow();
            gateways.forEach(CommandGateway::close);
        }
    }

    private CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> gateway() {
        return CommandGateway.builder(type, bootstrapServers).timeout(Duration.ofSeconds(4)).build();
    }

    private CommandResult<InvoiceEvent, Invoice> untilAnswered(CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> gateway,
                                                               Command<InvoiceCommand> command, long until) throws Exception {
        while (true) {
            try {
                return gateway.send(command).get();
            } catch (ExecutionException e) {
                // No answer in time, or not even sent (no metadata while a broker restarts): the same
                // command id again is safe, the topology answers a duplicate from memory.
                boolean retriable = e.getCause() instanceof CommandTimeoutException
                        || e.getCause() instanceof org.apache.kafka.common.errors.RetriableException;
                if (!retriable || System.nanoTime() > until) {
                    throw e;
                }
                retries.incrementAndGet();
            }
        }
    }

    private List<Command<InvoiceCommand>> commandsOf(String invoiceId) {
        LocalDate issued = LocalDate.of(2026, 11, 22);
        // Due long after any run: the overdue deadline each send schedules never fires during the load,
        // so every invoice ends at the version of its last command.
        LocalDate due = LocalDate.of(2099, 12, 31);
        List<InvoiceCommand> payloads = new ArrayList<>();
        payloads.add(new InvoiceCommand.CreateInvoice(new Customer("Ada", "ada@example.com"), issued, due, "EUR"));
        payloads.add(new InvoiceCommand.AddLineItem(new LineItem("li-1", "Tuning", 3, new BigDecimal("120.00"), BigDecimal.ZERO)));
        payloads.add(new InvoiceCommand.AddLineItem(new LineItem("li-2", "Cards", 200, new BigDecimal("0.25"), new BigDecimal("0.20"))));
        for (int line = 3; line <= lineItems; line++) {
            payloads.add(new InvoiceCommand.AddLineItem(new LineItem("li-" + line, "Hours", line, new BigDecimal("80.00"), BigDecimal.ZERO)));
        }
        payloads.add(new InvoiceCommand.SendInvoice());
        List<Command<InvoiceCommand>> commands = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            commands.add(new Command<>(invoiceId + "-cmd-" + i, invoiceId, i == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(i),
                    payloads.get(i), Map.of()));
        }
        return commands;
    }
}
