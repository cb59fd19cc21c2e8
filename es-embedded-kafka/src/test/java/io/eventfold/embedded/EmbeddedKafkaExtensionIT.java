package io.eventfold.embedded;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** One broker for the whole class, its nested classes and the parameters of its tests. */
class EmbeddedKafkaExtensionIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension(
            broker -> broker.brokerProperty("log.retention.hours", "2"));

    @AfterAll
    static void stillRunningInAfterAll() {
        assertThat(kafka.broker().isRunning()).as("broker in @AfterAll of the test class").isTrue();
    }

    @Test
    void shouldServeATopicThroughTheBootstrapServers() throws Exception {
        Topics.create(kafka.bootstrapServers(), "shipments");

        assertThat(Topics.names(kafka.bootstrapServers())).contains("shipments");
    }

    @Test
    void shouldInjectTheClassBrokerAsParameter(EmbeddedKafka broker) {
        assertThat(broker).isSameAs(kafka.broker());
        assertThat(broker.isRunning()).isTrue();
    }

    @Nested
    class Inner {

        @Test
        void shouldShareTheOuterClassBroker(EmbeddedKafka broker) {
            assertThat(broker).isSameAs(kafka.broker());
            assertThat(broker.isRunning()).as("outer broker %s in a nested class", broker).isTrue();
        }
    }
}
