package io.eventfold.examples.invoices;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class InvoicesAppTest {

    @Test
    void shouldWalkAnInvoiceFromCreationToPayment() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        new InvoicesApp("INV-1", new PrintStream(buffer, true, StandardCharsets.UTF_8)).walkThrough();

        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(output)
                .contains("REJECTED INVOICE_EMPTY")
                .contains("CONFLICT: expected exactly(1) but the invoice is at version 2")
                .contains("REJECTED PAYMENT_AMOUNT_MISMATCH")
                .endsWith("Final state at version 5: PAID, total 410.00 EUR" + System.lineSeparator());
    }
}
