package io.eventfold.kafka.internal;

import org.junit.jupiter.api.Test;

import static io.eventfold.kafka.internal.DecodedCommand.Disposition.ANSWERED_ON_ENVELOPE_ID;
import static io.eventfold.kafka.internal.DecodedCommand.Disposition.ANSWERED_ON_KEY;
import static io.eventfold.kafka.internal.DecodedCommand.Disposition.DEAD_LETTERED;
import static org.assertj.core.api.Assertions.assertThat;

/** The one rule of where a command record is answered, which the processor and the audit share. */
class DecodedCommandTest {

    @Test
    void shouldAnswerAKeyedRecordWithACommandIdOnItsKey() {
        assertThat(decoded("c1", "acc-1").disposition("acc-1")).isEqualTo(ANSWERED_ON_KEY);
        assertThat(decoded("c1", null).disposition("acc-2")).as("the key counts, not the envelope").isEqualTo(ANSWERED_ON_KEY);
        assertThat(decoded(null, "acc-1").disposition("acc-1")).isEqualTo(DEAD_LETTERED);
    }

    @Test
    void shouldAnswerARecordWithoutAKeyUnderItsEnvelopesAggregateIdWhenItNamesOne() {
        assertThat(decoded("c1", "acc-1").disposition(null)).isEqualTo(ANSWERED_ON_ENVELOPE_ID);
        assertThat(decoded("c1", "acc-1").disposition(" ")).isEqualTo(ANSWERED_ON_ENVELOPE_ID);
        assertThat(decoded("c1", " ").disposition(null)).isEqualTo(DEAD_LETTERED);
        assertThat(decoded("c1", null).disposition(null)).isEqualTo(DEAD_LETTERED);
        assertThat(decoded(null, "acc-1").disposition("")).isEqualTo(DEAD_LETTERED);
    }

    private static DecodedCommand<Object> decoded(String commandId, String envelopeAggregateId) {
        return new DecodedCommand<>(null, null, commandId, envelopeAggregateId);
    }
}
