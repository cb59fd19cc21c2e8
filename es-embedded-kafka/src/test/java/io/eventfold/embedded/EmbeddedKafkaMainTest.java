package io.eventfold.embedded;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line of the broker process. */
class EmbeddedKafkaMainTest {

    @Test
    void shouldReadTheDataDirAndThePort() {
        EmbeddedKafka kafka = EmbeddedKafkaMain.builder("target/kafka", "0", "log.retention.hours=1").build();

        assertThat(kafka.dataDir()).isEqualTo(Path.of("target/kafka").toAbsolutePath());
    }

    @Test
    void shouldNameTheArgumentThatIsWrong() {
        assertThatThrownBy(() -> EmbeddedKafkaMain.builder("target/kafka"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a data directory and a port but got [target/kafka]");
        assertThatThrownBy(() -> EmbeddedKafkaMain.builder("target/kafka", "nine"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port is not a number: nine");
        assertThatThrownBy(() -> EmbeddedKafkaMain.builder("target/kafka", "0", "log.retention.hours"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("broker property is not key=value: log.retention.hours");
    }
}
