package io.eventfold.kafka.audit;

import io.eventfold.kafka.EventfoldHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterSourcesTest {

    @Test
    void shouldKnowTheCommandRecordsOfItsCommandsTopicOnly() {
        DeadLetterSources sources = new DeadLetterSources("acc-commands");
        ConsumerRecord<String, byte[]> ours = new ConsumerRecord<>("acc-commands-dlq", 0, 0, null, new byte[0]);
        EventfoldHeaders.put(ours.headers(), EventfoldHeaders.SOURCE, "acc-commands-1@7");
        ConsumerRecord<String, byte[]> other = new ConsumerRecord<>("acc-commands-dlq", 0, 1, null, new byte[0]);
        EventfoldHeaders.put(other.headers(), EventfoldHeaders.SOURCE, "other-commands-1@8");
        sources.add(ours);
        sources.add(other);

        assertThat(sources.contains(1, 7)).isTrue();
        assertThat(sources.contains(1, 8)).isFalse();
        assertThat(sources.contains(0, 7)).isFalse();
        assertThat(sources.records()).isEqualTo(2);
    }
}
