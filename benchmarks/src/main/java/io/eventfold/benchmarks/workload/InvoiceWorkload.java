package io.eventfold.benchmarks.workload;

import io.eventfold.core.Command;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.examples.invoices.domain.Customer;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceCommand.AddLineItem;
import io.eventfold.examples.invoices.domain.InvoiceCommand.CreateInvoice;
import io.eventfold.examples.invoices.domain.LineItem;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;

/**
 * The same commands for Eventfold and for the baseline: {@code aggregates} invoices, each created
 * and then given {@code commandsPerAggregate - 1} line items. Commands are numbered in send order,
 * round-robin over the invoices, so every partition is busy from the first command on and an
 * invoice's commands still arrive in order.
 *
 * <pre>{@code
 * InvoiceWorkload workload = InvoiceWorkload.ofCommands("run1", 10_000, 200_000);
 * Command<InvoiceCommand> first = workload.command(0);   // CreateInvoice for run1-0
 * }</pre>
 *
 * @param prefix starts every aggregate id and command id, so two workloads never share an invoice
 * @param aggregates how many invoices, {@code >= 1}
 * @param commandsPerAggregate commands per invoice, {@code >= 1}; the first creates it
 */
public record InvoiceWorkload(String prefix, int aggregates, int commandsPerAggregate) {

    private static final Customer CUSTOMER = new Customer("Ada Lovelace", "ada@example.com");
    private static final LocalDate ISSUED = LocalDate.of(2026, 11, 22);
    private static final BigDecimal UNIT_PRICE = new BigDecimal("0.25");

    public InvoiceWorkload {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("prefix must not be blank");
        }
        if (aggregates < 1 || commandsPerAggregate < 1) {
            throw new IllegalArgumentException("aggregates and commandsPerAggregate must be >= 1 but were "
                    + aggregates + " and " + commandsPerAggregate);
        }
    }

    /**
     * A workload of about {@code commands} commands over {@code aggregates} invoices (rounded up
     * to a whole number of commands per invoice).
     *
     * @param prefix the id prefix
     * @param aggregates how many invoices
     * @param commands how many commands in all, at least one per invoice
     * @return the workload
     */
    public static InvoiceWorkload ofCommands(String prefix, int aggregates, int commands) {
        int perAggregate = Math.max(1, (commands + aggregates - 1) / aggregates);
        return new InvoiceWorkload(prefix, aggregates, perAggregate);
    }

    /**
     * How many commands the workload has.
     *
     * @return aggregates × commands per aggregate
     */
    public int size() {
        return aggregates * commandsPerAggregate;
    }

    /**
     * The command sent in position {@code index}.
     *
     * @param index from 0 to {@link #size()} - 1
     * @return a CreateInvoice (expecting no stream) or an AddLineItem (expecting the exact version)
     */
    public Command<InvoiceCommand> command(int index) {
        int aggregate = index % aggregates;
        int step = index / aggregates;
        String aggregateId = prefix + "-" + aggregate;
        String commandId = aggregateId + "-" + step;
        if (step == 0) {
            return new Command<>(commandId, aggregateId, ExpectedVersion.noStream(),
                    new CreateInvoice(CUSTOMER, ISSUED, ISSUED.plusDays(30), "EUR"), Map.of());
        }
        LineItem line = new LineItem("li-" + step, "Punched cards, box " + step, 200, UNIT_PRICE, BigDecimal.ZERO);
        return new Command<>(commandId, aggregateId, ExpectedVersion.exactly(step), new AddLineItem(line), Map.of());
    }
}
