package io.eventfold.kafka.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecordPositionTest {

    @Test
    void shouldReadBackWhatItWritesWhateverDashesTheTopicHas() {
        RecordPosition position = new RecordPosition("billing-invoice-commands", 12, 4_567L);

        assertThat(position.toString()).isEqualTo("billing-invoice-commands-12@4567");
        assertThat(RecordPosition.parse(position.toString())).contains(position);
    }

    @Test
    void shouldReadNothingFromTextThatIsNoPosition() {
        assertThat(RecordPosition.parse("(punctuation)")).isEmpty();
        assertThat(RecordPosition.parse("commands-x@1")).isEmpty();
        assertThat(RecordPosition.parse("-1@2")).isEmpty();
    }
}
