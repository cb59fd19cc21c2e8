package io.eventfold.testkit;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Rejection;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.eventfold.testkit.EventfoldAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventfoldAssertionsTest {

    private static final Instant AT = Instant.parse("2026-01-01T09:00:00Z");
    private final Event<String> event = new Event<>("inv-1", 3, "c1", AT, "InvoiceSent");
    private final CommandResult<String, String> accepted = new CommandResult.Accepted<>("c1", "inv-1", 3, List.of(event), "SENT");
    private final CommandResult<String, String> rejected =
            new CommandResult.Rejected<>("c2", "inv-1", 3, new Rejection("INVOICE_NOT_DRAFT", "the invoice is SENT"));

    @Test
    void shouldPassOnMatchingResultsAndEvents() {
        assertThat(accepted).isAccepted().hasVersion(3).hasEventPayloads("InvoiceSent").hasState("SENT");
        assertThat(rejected).isRejected().isRejectedWith("INVOICE_NOT_DRAFT");
        assertThat(new CommandResult.Conflict<String, String>("c3", "inv-1", 3, ExpectedVersion.noStream())).isConflict();
        assertThat(new CommandResult.Failed<String, String>("c4", "inv-1", 3, IllegalStateException.class.getName(), "boom"))
                .isFailedWith(IllegalStateException.class);
        assertThat(event).hasVersion(3).hasCommandId("c1").hasAggregateId("inv-1").hasPayload("InvoiceSent");
    }

    @Test
    void shouldSayWhatTheResultWasInstead() {
        assertThatThrownBy(() -> assertThat(rejected).isAccepted())
                .isInstanceOf(AssertionError.class)
                .hasMessage("%nExpecting command c2 for aggregate inv-1:%n  rejected INVOICE_NOT_DRAFT: the invoice is SENT%nto be accepted"
                        .formatted());
        assertThatThrownBy(() -> assertThat(rejected).isRejectedWith("INVOICE_ALREADY_PAID"))
                .hasMessage("%nExpecting rejection code of command c2:%n  INVOICE_NOT_DRAFT%nto be:%n  INVOICE_ALREADY_PAID".formatted());
        assertThatThrownBy(() -> assertThat(accepted).hasEventPayloads("InvoicePaid"))
                .hasMessage("%nExpecting events of command c1:%n  [InvoiceSent]%nto be:%n  [InvoicePaid]".formatted());
        assertThatThrownBy(() -> assertThat(event).hasVersion(4))
                .hasMessage("%nExpecting version of event InvoiceSent of aggregate inv-1:%n  3%nto be:%n  4".formatted());
    }
}
