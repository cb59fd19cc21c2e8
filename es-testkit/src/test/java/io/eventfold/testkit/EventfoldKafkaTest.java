package io.eventfold.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The extension's options and its answers outside of a test class's lifetime, without a broker. */
class EventfoldKafkaTest {

    @Test
    void shouldRefuseTwoTypesOfTheSameName() {
        assertThatThrownBy(() -> EventfoldKafka.running(Accounts.TYPE, Accounts.TYPE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("account");
    }

    @Test
    void shouldRejectOptionsOutOfRange() {
        EventfoldKafka kafka = EventfoldKafka.running(Accounts.TYPE);

        assertThatThrownBy(() -> kafka.partitions(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partitions must be >= 1 but was 0");
        assertThatThrownBy(() -> kafka.commandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be positive but was PT0S");
    }

    @Test
    void shouldSayHowToRegisterItWhenAskedBeforeTheTestsStart() {
        EventfoldKafka kafka = EventfoldKafka.running(Accounts.TYPE);

        assertThatThrownBy(kafka::bootstrapServers)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the topology of [account] is not running")
                .hasMessageContaining("@RegisterExtension static final");
    }
}
