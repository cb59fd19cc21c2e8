package io.eventfold.embedded;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The broker's settings and states, without starting one. */
class EmbeddedKafkaTest {

    @Test
    void shouldRejectAPortOutOfRange() {
        assertThatThrownBy(() -> EmbeddedKafka.builder().port(65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port out of range: 65536");
        assertThatThrownBy(() -> EmbeddedKafka.builder().controllerPort(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port out of range: -1");
    }

    @Test
    void shouldRejectANonPositiveStartupTimeout() {
        assertThatThrownBy(() -> EmbeddedKafka.builder().startupTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("startupTimeout must be positive");
    }

    @Test
    void shouldAnswerNoAddressBeforeItStarts() {
        EmbeddedKafka kafka = EmbeddedKafka.builder().build();

        assertThat(kafka.isRunning()).isFalse();
        assertThatThrownBy(kafka::bootstrapServers)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running (NEW)");
        assertThatThrownBy(kafka::dataDir)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("created by start()");
    }

    @Test
    void shouldGiveTheDataDirAsAnAbsolutePath() {
        EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(Path.of("data", "..", "data", "kafka")).build();

        assertThat(kafka.dataDir()).isEqualTo(Path.of("data", "kafka").toAbsolutePath());
    }

    @Test
    void shouldNotStartAgainOnceClosed() {
        EmbeddedKafka kafka = EmbeddedKafka.builder().build();
        kafka.close();

        assertThatThrownBy(kafka::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is CLOSED; build a new one");
    }
}
