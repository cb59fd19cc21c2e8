package io.eventfold.kafka;

import io.eventfold.core.CommandMetadata;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.InvalidMetadataException;
import io.eventfold.core.MetadataPolicy;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.Deposit;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.audit.AuditReport;
import io.eventfold.kafka.audit.LogAudit;
import io.eventfold.kafka.client.CommandGateway;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who sent a command, on a real broker: the gateway's metadata on the event, snapshot and result
 * records of the command (envelope and headers, read {@code read_committed}), what the policy
 * drops dropped everywhere, oversized metadata answered {@code Failed}, and the audit clean until
 * an event's headers are made to disagree with its envelope.
 */
class EventMetadataIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    private static final Map<String, String> WHO = Map.of("user", "alice", "trace", "t-7");

    @TempDir
    Path stateDir;

    private AggregateType<AccountCommand, AccountEvent, Account> type(String name, MetadataPolicy policy) {
        AggregateType<AccountCommand, AccountEvent, Account> type = AggregateType.builder(name, new AccountAggregate())
                .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class).metadata(policy).build();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicLayout.of(type).create(admin, 2, (short) 1);
        }
        return type;
    }

    @Test
    void shouldRecordWhoSentEachCommandOnItsEventsSnapshotAndResultAndKeepOnlyWhatThePolicyKeeps() {
        AggregateType<AccountCommand, AccountEvent, Account> type = type("audited", MetadataPolicy.only("user"));
        try (KafkaStreams streams = EventfoldStreams.start(Cluster.streamsProps(kafka, "audited-app", stateDir), type);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, type, Duration.ofSeconds(60))) {
            assertThat(gateway.send("acc-1", new Open("alice"), ExpectedVersion.noStream(), WHO).join().kind())
                    .isEqualTo(CommandResult.Kind.ACCEPTED);
            CommandResult<AccountEvent, Account> deposit = gateway.send("acc-1", new Deposit(5), ExpectedVersion.exactly(1),
                    Map.of("user", "bob")).join();
            CommandResult<AccountEvent, Account> oversized = gateway.send("acc-1", new Deposit(7), ExpectedVersion.exactly(2),
                    Map.of("note", "x".repeat(CommandMetadata.MAX_TOTAL_BYTES))).join();

            assertThat(((CommandResult.Accepted<AccountEvent, Account>) deposit).events()).extracting(Event::metadata)
                    .containsOnly(Map.of("user", "bob"));
            assertThat(oversized).isInstanceOfSatisfying(CommandResult.Failed.class, failed -> {
                assertThat(failed.errorType()).isEqualTo(InvalidMetadataException.class.getName());
                assertThat(failed.message()).contains("metadata[note] has 4096 characters, at most 1024 are allowed");
            });

            List<ConsumerRecord<String, byte[]>> events = readAll(type.topics().events(), 2);
            assertThat(events).extracting(record -> EventfoldHeaders.metadata(record.headers()))
                    .containsExactly(Map.of("user", "alice"), Map.of("user", "bob"));
            assertThat(events).extracting(record -> type.serdes().events().deserializer().deserialize("", record.value()).metadata())
                    .containsExactly(Map.of("user", "alice"), Map.of("user", "bob"));
            List<ConsumerRecord<String, byte[]>> snapshots = readAll(type.topics().snapshots(), 2);
            assertThat(snapshots).extracting(record -> EventfoldHeaders.metadata(record.headers()))
                    .containsExactly(Map.of("user", "alice"), Map.of("user", "bob"));
            List<ConsumerRecord<String, byte[]>> results = readAll(type.topics().commandResults(), 3);
            assertThat(results).extracting(record -> EventfoldHeaders.metadata(record.headers()))
                    .as("the failed command's note is not a kept key").containsExactly(Map.of("user", "alice"), Map.of("user", "bob"), Map.of());
            assertThat(results).extracting(record -> EventfoldHeaders.correlationId(record.headers()).orElse(null))
                    .containsExactly(EventfoldHeaders.commandId(results.get(0).headers()).orElseThrow(),
                            EventfoldHeaders.commandId(results.get(1).headers()).orElseThrow(),
                            EventfoldHeaders.commandId(results.get(2).headers()).orElseThrow());

            AuditReport clean = LogAudit.of(type).run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));
            assertThat(clean.violations()).isEmpty();

            // An event whose header says another user than its envelope: the audit names it.
            Event<AccountEvent> last = type.serdes().events().deserializer().deserialize("", events.get(1).value());
            Event<AccountEvent> next = new Event<>("acc-1", 3, "forged", Instant.now(), last.payload(), null, Map.of("user", "bob"));
            RecordHeaders headers = new RecordHeaders();
            EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, "forged");
            EventfoldHeaders.putMetadata(headers, Map.of("user", "mallory"));
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(type.topics().events(), events.get(1).partition(), "acc-1",
                        type.serdes().events().serializer().serialize("", next), headers));
            }
            AuditReport forged = LogAudit.of(type).run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit-2"));
            assertThat(forged.violations()).contains("event acc-1@3 of command forged: its eventfold.metadata.* headers say "
                    + "{user=mallory} but its envelope {user=bob}");
        }
    }

    /** Every record of a topic, read_committed, once {@code expected} of them are there. */
    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        Properties props = EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "reader-" + topic);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            records.sort(java.util.Comparator.comparingLong(ConsumerRecord::timestamp));
            return records;
        }
    }
}
