package io.eventfold.examples.invoices;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfold.kafka.json.Upcasters;

import java.math.BigDecimal;
import java.util.function.UnaryOperator;

/**
 * How records of the invoice domain's first release are read today (docs/evolution.md):
 * a line item of the first release had no tax, so it gains {@code "taxRate": 0}; the event
 * {@code PaymentReceived} is now {@code InvoicePaid}.
 *
 * <pre>{@code
 * AggregateType.builder("invoice", new InvoiceAggregate())
 *         .commands(InvoiceCommand.class, InvoiceUpcasters.COMMANDS)
 *         .events(InvoiceEvent.class, InvoiceUpcasters.EVENTS)
 * }</pre>
 */
public final class InvoiceUpcasters {

    /** {@code {"lineItem": {…}}} → {@code {"lineItem": {…, "taxRate": 0}}}: first-release lines were untaxed. */
    static final UnaryOperator<ObjectNode> ZERO_TAX = json -> {
        json.withObject("/lineItem").put("taxRate", BigDecimal.ZERO);
        return json;
    };

    /** {@code LineItemAdded} v1 → v2 (a tax rate of zero); {@code PaymentReceived} v1 → {@code InvoicePaid} v1. */
    public static final Upcasters EVENTS = Upcasters.builder()
            .upcast("LineItemAdded", 1, ZERO_TAX)
            .rename("PaymentReceived", 1, "InvoicePaid")
            .build();

    /**
     * {@code AddLineItem} v1 → v2 (a tax rate of zero): gateways of the first release may have left
     * such commands on the commands topic when the topology is upgraded.
     */
    public static final Upcasters COMMANDS = Upcasters.builder()
            .upcast("AddLineItem", 1, ZERO_TAX)
            .build();

    private InvoiceUpcasters() {
    }
}
