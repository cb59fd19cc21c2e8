package io.eventfold.kafka.internal;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Rejection;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandIdsTest {

    private static final String INVOICE = "INV-2026-000123";
    private static final String COMMAND = "0b6c3f5e-6f0c-4a39-9a4f-3b1f4b4f2c11";

    private static CommandResult<String, String> roundTrip(CommandResult<String, String> answer) {
        return CommandIds.decode(answer.aggregateId(), answer.commandId(), CommandIds.encode(answer));
    }

    @Test
    void shouldRememberAnAcceptedCommandByItsVersionAndEventCountOnly() {
        List<Event<String>> events = List.of(new Event<>(INVOICE, 4, COMMAND, Instant.EPOCH, "LineItemAdded"),
                new Event<>(INVOICE, 5, COMMAND, Instant.EPOCH, "InvoiceSent"));
        CommandResult<String, String> accepted = new CommandResult.Accepted<>(COMMAND, INVOICE, 5, events, "a large state");

        CommandResult<String, String> answer = accepted.redeliveryAnswer().orElseThrow();

        assertThat(answer).isEqualTo(new CommandResult.AlreadyAccepted<>(COMMAND, INVOICE, 5, 2));
        assertThat(roundTrip(answer)).isEqualTo(answer);
        assertThat(CommandIds.encode(answer)).hasSize(13);
    }

    @Test
    void shouldRememberRejectionsWithTheirTextWhateverItsCharacters() {
        CommandResult<String, String> rejected = new CommandResult.Rejected<>(COMMAND, INVOICE, 3,
                new Rejection("NOT_DRAFT", "l'invoice n'est plus un brouillon: 🧾 envoyée"));

        assertThat(roundTrip(rejected)).isEqualTo(rejected);
    }

    @Test
    void shouldRememberEveryKindOfConflict() {
        for (ExpectedVersion expected : List.of(ExpectedVersion.any(), ExpectedVersion.noStream(), ExpectedVersion.exactly(41))) {
            CommandResult<String, String> conflict = new CommandResult.Conflict<>(COMMAND, INVOICE, 42, expected);

            assertThat(roundTrip(conflict)).isEqualTo(conflict);
        }
    }

    @Test
    void shouldNotRememberAFailure() {
        CommandResult<String, String> failed = new CommandResult.Failed<>(COMMAND, INVOICE, 3, "java.lang.IllegalStateException", "bug");

        assertThat(failed.redeliveryAnswer()).isEmpty();
    }

    @Test
    void shouldKeepEveryRememberedCommandOfTheInvoiceWorkloadUnder200Bytes() {
        // Key (length-prefixed ids) + window timestamp and sequence number + value, as RocksDB stores them.
        int key = CommandIds.key(INVOICE, COMMAND).get().length + Long.BYTES + Integer.BYTES;
        CommandResult<String, String> longestRejection = new CommandResult.Rejected<>(COMMAND, INVOICE, 3,
                new Rejection("INVOICE_NOT_DRAFT", "only a draft invoice can change, but this one is SENT"));

        assertThat(key + CommandIds.encode(longestRejection).length).isLessThanOrEqualTo(200);
        assertThat(key + CommandIds.encode(new CommandResult.AlreadyAccepted<>(COMMAND, INVOICE, 5, 2)).length).isLessThanOrEqualTo(80);
    }

    @Test
    void shouldKeepKeysApartWhateverTheIds() {
        assertThat(CommandIds.key("a", "bc")).isNotEqualTo(CommandIds.key("ab", "c"));
        assertThat(CommandIds.key("1:a", "b")).isNotEqualTo(CommandIds.key("1", ":ab"));
    }
}
