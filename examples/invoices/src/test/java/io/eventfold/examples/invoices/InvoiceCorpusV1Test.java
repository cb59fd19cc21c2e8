package io.eventfold.examples.invoices;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfold.core.Aggregate;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events and snapshots as the first released format of the invoice domain writes them, kept as
 * files ({@code src/test/resources/corpus/v1}): events are kept forever, so every later version of
 * the domain must still read them, fold them to the stored snapshot's state, and write them back
 * unchanged while the format has not changed.
 */
class InvoiceCorpusV1Test {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldReadEveryStoredEventAndFoldItToTheStoredSnapshot() throws Exception {
        List<Path> histories = histories();
        assertThat(histories).as("the corpus").hasSizeGreaterThanOrEqualTo(2);
        List<String> typesSeen = new ArrayList<>();

        for (Path file : histories) {
            String invoiceId = file.getFileName().toString().replace(".events.jsonl", "");
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            Aggregate<InvoiceCommand, InvoiceEvent, Invoice> aggregate = Invoices.TYPE.aggregate();
            Invoice state = aggregate.initialState();
            for (int i = 0; i < lines.size(); i++) {
                String where = file.getFileName() + ", line " + (i + 1);
                Event<InvoiceEvent> event = read(Invoices.TYPE.serdes().events(), lines.get(i));
                assertThat(event.aggregateId()).as(where).isEqualTo(invoiceId);
                assertThat(event.version()).as(where).isEqualTo(i + 1);
                assertThat(JSON.readTree(write(Invoices.TYPE.serdes().events(), event))).as(where + ", written again")
                        .isEqualTo(JSON.readTree(lines.get(i)));
                typesSeen.add(event.payload().getClass().getSimpleName());
                state = aggregate.evolve(state, event.payload());
            }
            Path snapshotFile = file.resolveSibling(invoiceId + ".snapshot.json");
            Snapshot<Invoice> snapshot = read(Invoices.TYPE.serdes().snapshots(), Files.readString(snapshotFile));
            assertThat(snapshot.version()).as(snapshotFile.getFileName() + ": the last event's version").isEqualTo(lines.size());
            assertThat(snapshot.state()).as(snapshotFile.getFileName() + ": the replay of " + file.getFileName()).isEqualTo(state);
        }
        assertThat(typesSeen).as("every event type of the first format is in the corpus")
                .containsAll(Stream.of(InvoiceEvent.class.getPermittedSubclasses()).map(Class::getSimpleName).toList());
    }

    private static List<Path> histories() throws IOException, URISyntaxException {
        Path corpus = Path.of(Objects.requireNonNull(InvoiceCorpusV1Test.class.getResource("/corpus/v1")).toURI());
        try (Stream<Path> files = Files.list(corpus)) {
            return files.filter(path -> path.toString().endsWith(".events.jsonl")).sorted().toList();
        }
    }

    private static <T> T read(Serde<T> serde, String json) {
        return serde.deserializer().deserialize("", json.getBytes(StandardCharsets.UTF_8));
    }

    private static <T> String write(Serde<T> serde, T value) {
        return new String(serde.serializer().serialize("", value), StandardCharsets.UTF_8);
    }
}
