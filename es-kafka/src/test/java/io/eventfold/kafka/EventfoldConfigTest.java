package io.eventfold.kafka;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventfoldConfigTest {

    @Test
    void shouldDefaultToExactlyOnceAndAStandbyReplica() {
        Properties props = EventfoldConfig.streams("invoice-service", "kafka:9092");

        assertThat(props)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "invoice-service")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2")
                .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1)
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1)
                .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        assertThat(new StreamsConfig(props).getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
    }

    @Test
    void shouldHaveTheStreamThreadsProducerCompressWithLz4() {
        Properties props = EventfoldConfig.streams("invoice-service", "kafka:9092");

        assertThat(new StreamsConfig(props).getProducerConfigs("invoice-service-producer"))
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    }

    @Test
    void shouldReadOutputTopicsCommittedOnly() {
        assertThat(EventfoldConfig.readCommittedConsumer("kafka:9092", "projections"))
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("group.id", "projections")
                .containsEntry("enable.auto.commit", false);
        assertThat(EventfoldConfig.commandProducer("kafka:9092"))
                .containsEntry("enable.idempotence", true)
                .containsEntry("acks", "all");
    }

    @Test
    void shouldRefuseBlankSettings() {
        assertThatIllegalArgumentException().isThrownBy(() -> EventfoldConfig.streams(" ", "kafka:9092"))
                .withMessage("applicationId must not be blank");
    }

    @Test
    void shouldPassOnlyAdminSettingsToTheAdminClient() {
        Properties props = EventfoldConfig.streams("app", "kafka:9092");
        props.put("security.protocol", "SSL");
        props.put("admin.request.timeout.ms", 5000);
        props.put("commit.interval.ms", 100);

        Map<String, Object> admin = EventfoldStreams.adminProperties(props);

        assertThat(admin).containsOnly(
                Map.entry("bootstrap.servers", "kafka:9092"),
                Map.entry("security.protocol", "SSL"),
                Map.entry("request.timeout.ms", 5000));
    }
}
