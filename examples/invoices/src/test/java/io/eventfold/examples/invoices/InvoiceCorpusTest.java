package io.eventfold.examples.invoices;

import io.eventfold.examples.invoices.v1.InvoiceCommand;
import io.eventfold.examples.invoices.v1.InvoiceEvent;
import io.eventfold.examples.invoices.v1.InvoicesV1;
import io.eventfold.testkit.CompatibilityCorpus;
import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events, commands and snapshots as the first released format of the invoice domain wrote them,
 * kept as files ({@code src/test/resources/corpus/v1}). Events are kept forever, so every later
 * version of the domain must upcast, read and fold them; commands of the first format may still
 * wait on the commands topic during an upgrade.
 */
class InvoiceCorpusTest {

    @Test
    void shouldBeTheRecordsTheFirstReleaseWroteCoveringEveryTypeItHad() {
        CompatibilityCorpus.Summary v1 = CompatibilityCorpus.of(InvoicesV1.TYPE)
                .events("corpus/v1")
                .commands("corpus/v1")
                .verify();

        assertThat(v1.eventTypes()).as("every event type of the first release is in the corpus")
                .containsAll(simpleNames(InvoiceEvent.class));
        assertThat(v1.commandTypes()).as("every command type of the first release is in the corpus")
                .containsAll(simpleNames(InvoiceCommand.class));
    }

    @Test
    void shouldBeReadAndFoldedByTheCurrentRelease() {
        CompatibilityCorpus.of(Invoices.TYPE)
                .events("corpus/v1")
                .commands("corpus/v1")
                .verify();
    }

    private static java.util.List<String> simpleNames(Class<?> sealed) {
        return Stream.of(sealed.getPermittedSubclasses()).map(Class::getSimpleName).toList();
    }
}
