package io.eventfold.kafka;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ErrorText;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.eventfold.kafka.OversizedInputTest.envelope;
import static io.eventfold.kafka.OversizedInputTest.typeArrayOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Oversized bad input on a real broker, which refuses what TopologyTestDriver lets through: the
 * application stays RUNNING and answers the next command. With the broker's and the producer's
 * default limits (1 MiB).
 */
class OversizedInputIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path stateDir;

    @Test
    void shouldKeepRunningThroughOversizedPoisonAndAnswerTheNextCommand() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> type = Cluster.accountsWithTopics(kafka, "big", 1);
        String unreadable800k = envelope("poison-1", "acc-a", typeArrayOf(800_000));
        String id520k = "i".repeat(520_000);
        String id600k = "j".repeat(600_000);
        String next = Command.newCommandId();

        try (KafkaStreams streams = EventfoldStreams.start(Cluster.streamsProps(kafka, "big-app", stateDir), type);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                     EventfoldConfig.commandProducer(kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            String commands = type.topics().commands();
            // 0: an 800 kB command that cannot be read, with a command id
            send(producer, new ProducerRecord<>(commands, "acc-a", utf8(unreadable800k)));
            // 1: a valid command with a 520 kB command id: its event fits, its result (the id three times) does not
            send(producer, new ProducerRecord<>(commands, "acc-b", open(type, "acc-b", id520k)));
            // 2: a valid command with a 600 kB command id, which makes every answer too large
            send(producer, new ProducerRecord<>(commands, "acc-c", open(type, "acc-c", id600k)));
            // 3: the 800 kB unreadable value without any command id
            send(producer, new ProducerRecord<>(commands, "acc-d", utf8("{\"type\":" + typeArrayOf(800_000) + "}")));
            // 4: a record just under the limit, unanswerable, whose dead letter with its error headers would not fit
            RecordHeaders headers = new RecordHeaders();
            EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, id600k);
            send(producer, new ProducerRecord<>(commands, null, "acc-e",
                    utf8("{\"type\":" + typeArrayOf(1_048_000 - 600_000 - 200) + "}"), headers));
            // 5: the next command
            send(producer, new ProducerRecord<>(commands, "acc-f", open(type, "acc-f", next)));

            List<ConsumerRecord<String, byte[]>> results = read(type.topics().commandResults(), 3);
            List<ConsumerRecord<String, byte[]>> deadLetters = read(type.topics().deadLetters(), 3);

            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(result(type, results.get(0))).isInstanceOfSatisfying(CommandResult.Failed.class, failed -> {
                assertThat(failed.commandId()).isEqualTo("poison-1");
                assertThat(failed.message()).hasSizeLessThan(ErrorText.MAX_LENGTH + 40);
            });
            assertThat(results.get(0).serializedValueSize()).isLessThan(2_000);
            assertThat(result(type, results.get(1))).isInstanceOfSatisfying(CommandResult.Failed.class, failed -> {
                assertThat(failed.commandId()).isEqualTo(id520k);
                assertThat(failed.errorType()).isEqualTo(RecordTooLargeException.class.getName());
                assertThat(failed.message()).startsWith("the result would be a record of 1,56");
            });
            assertThat(result(type, results.get(2))).isInstanceOfSatisfying(CommandResult.Accepted.class, accepted ->
                    assertThat(accepted.commandId()).isEqualTo(next));

            assertThat(deadLetters.get(0).key()).isEqualTo("acc-c");
            assertThat(header(deadLetters.get(0), EventfoldHeaders.ERROR_TYPE)).isEqualTo(RecordTooLargeException.class.getName());
            assertThat(header(deadLetters.get(0), EventfoldHeaders.ERROR))
                    .startsWith("the command cannot be answered (FAILED at version 0): the result would be a record of 1,20");
            assertThat(deadLetters.get(1).key()).isEqualTo("acc-d");
            assertThat(deadLetters.get(1).serializedValueSize()).isGreaterThan(800_000);
            assertThat(header(deadLetters.get(1), EventfoldHeaders.ERROR)).hasSizeLessThan(ErrorText.MAX_LENGTH + 40);
            assertThat(deadLetters.get(2).key()).isNull();
            assertThat(deadLetters.get(2).value()).isNull();
            assertThat(header(deadLetters.get(2), EventfoldHeaders.SOURCE)).isEqualTo(commands + "-0@4");
            assertThat(header(deadLetters.get(2), EventfoldHeaders.ERROR)).startsWith("the dead letter would be a record of ");
        }
    }

    /**
     * Topics that take records of 5 MB and a producer allowed as much, while the broker's own
     * {@code message.max.bytes} stays at 1 MiB: the stores' changelogs, created by Kafka Streams at
     * the first start, get the broker's limit, and a snapshot that fits its topic must not be
     * written to a changelog that refuses it.
     */
    @Test
    void shouldHoldTheFirstSnapshotsToTheChangelogLimitTheBrokerWillGive() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> type = Cluster.accountsWithTopics(kafka, "wide", 1);
        int fiveMegabytes = 5 * 1024 * 1024;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<ConfigResource, Collection<AlterConfigOp>> wide = new HashMap<>();
            for (String topic : List.of(type.topics().commands(), type.topics().events(), type.topics().snapshots(),
                    type.topics().commandResults(), type.topics().deadLetters())) {
                wide.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(fiveMegabytes)),
                        AlterConfigOp.OpType.SET)));
            }
            admin.incrementalAlterConfigs(wide).all().get(30, TimeUnit.SECONDS);
        }
        Properties streamsProps = Cluster.streamsProps(kafka, "wide-app", stateDir);
        streamsProps.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), fiveMegabytes);
        Properties producerProps = EventfoldConfig.commandProducer(kafka.bootstrapServers());
        producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, fiveMegabytes);
        String next = Command.newCommandId();

        try (KafkaStreams streams = EventfoldStreams.start(streamsProps, type);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                     new ByteArraySerializer())) {
            send(producer, new ProducerRecord<>(type.topics().commands(), "acc-w", type.serdes().commands().serializer()
                    .serialize("", Command.of("acc-w", (AccountCommand) new AccountCommand.Open("w".repeat(1_500_000)))
                            .withCommandId("wide-1"))));
            send(producer, new ProducerRecord<>(type.topics().commands(), "acc-n", open(type, "acc-n", next)));

            List<ConsumerRecord<String, byte[]>> results = read(type.topics().commandResults(), 2);

            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(result(type, results.get(0))).isInstanceOfSatisfying(CommandResult.Failed.class, failed -> {
                assertThat(failed.commandId()).isEqualTo("wide-1");
                assertThat(failed.message()).startsWith("the snapshot store entry would be a record of 1,50")
                        .contains(" on wide-app-wide-snapshot-store-changelog, over the 1,047,564 bytes allowed (the topic's "
                                + "max.message.bytes of 1,048,588");
            });
            assertThat(result(type, results.get(1))).isInstanceOfSatisfying(CommandResult.Accepted.class, accepted ->
                    assertThat(accepted.commandId()).isEqualTo(next));
        }
    }

    /**
     * The stream thread's producer compresses (lz4, {@link EventfoldConfig#streams}) and the broker
     * holds the compressed batch to {@code max.message.bytes}. Data lz4 cannot shrink comes out a
     * little larger than it went in: an output one byte under the processor's bound must still be
     * written, its framing inside the bytes kept free. Each refused command's answer names the
     * first of its outputs over the bound, with that output's size and the bytes allowed; the next
     * command is made that much smaller, until one is accepted: the output named last is then one
     * byte under the bound. (With no bytes kept free, the broker refuses that batch and the command
     * is never answered.)
     */
    @Test
    void shouldWriteAnIncompressibleOutputOneByteUnderTheBound() throws Exception {
        AggregateType<AccountCommand, AccountEvent, Account> type = Cluster.accountsWithTopics(kafka, "dense", 1);
        Properties streamsProps = Cluster.streamsProps(kafka, "dense-app", stateDir);
        assertThat(new StreamsConfig(streamsProps).getProducerConfigs("dense").get(ProducerConfig.COMPRESSION_TYPE_CONFIG))
                .isEqualTo("lz4");
        // commands of up to 2 MiB, so that the first one's outputs are over every limit of the outputs' topics
        int twoMegabytes = 2 * 1024 * 1024;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, type.topics().commands()),
                    List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(twoMegabytes)),
                            AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }
        Properties producerProps = EventfoldConfig.commandProducer(kafka.bootstrapServers());
        producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, twoMegabytes);
        Pattern sizes = Pattern.compile("a record of ([\\d,]+) bytes on .*, over the ([\\d,]+) bytes allowed");
        int ownerLength = 1_048_576;
        int allowed = 0;
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps, type);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                     new ByteArraySerializer())) {
            CommandResult<AccountEvent, Account> answer = null;
            int attempt = 0;
            while (!(answer instanceof CommandResult.Accepted) && attempt < 10) {
                attempt++;
                // ids of one length in every attempt (attempts 1 to 9), so that only the owner changes the outputs' sizes
                send(producer, new ProducerRecord<>(type.topics().commands(), "acc-" + attempt,
                        openBy(type, "acc-" + attempt, "bound-" + attempt, incompressible(ownerLength))));
                answer = result(type, read(type.topics().commandResults(), attempt).get(attempt - 1));
                if (answer instanceof CommandResult.Failed<AccountEvent, Account> failed) {
                    Matcher matcher = sizes.matcher(failed.message());
                    assertThat(matcher.find()).as("sizes in %s", failed.message()).isTrue();
                    allowed = Integer.parseInt(matcher.group(2).replace(",", ""));
                    ownerLength -= Integer.parseInt(matcher.group(1).replace(",", "")) - allowed + 1;
                }
            }

            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(attempt).as("commands sent; the first must be refused").isBetween(2, 9);
            assertThat(answer).isInstanceOf(CommandResult.Accepted.class);
            // the accepted command's owner, and so its event, is within a few hundred bytes of the bound
            assertThat(read(type.topics().events(), 1).get(0).serializedValueSize()).isBetween(allowed - 500, allowed);
        }
    }

    /** Letters and digits at random: too few repeats for lz4 to shrink a block, which it then stores as it is. */
    private static String incompressible(int length) {
        Random random = new Random(19);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static byte[] openBy(AggregateType<AccountCommand, AccountEvent, Account> type, String aggregateId,
                                 String commandId, String owner) {
        return type.serdes().commands().serializer().serialize("",
                Command.of(aggregateId, (AccountCommand) new AccountCommand.Open(owner)).withCommandId(commandId));
    }

    private static void send(KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> record) throws Exception {
        producer.send(record).get(30, TimeUnit.SECONDS);
    }

    private static byte[] open(AggregateType<AccountCommand, AccountEvent, Account> type, String aggregateId, String commandId) {
        return openBy(type, aggregateId, commandId, "owner");
    }

    private static CommandResult<AccountEvent, Account> result(AggregateType<AccountCommand, AccountEvent, Account> type,
                                                               ConsumerRecord<String, byte[]> record) {
        return type.serdes().results().deserializer().deserialize("", record.value());
    }

    private static List<ConsumerRecord<String, byte[]>> read(String topic, int expected) {
        Properties props = EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "read-" + Command.newCommandId());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < expected) {
                assertThat(System.nanoTime()).as("%d of %d records on %s within 60 s", records.size(), expected, topic)
                        .isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return EventfoldHeaders.read(record.headers(), name).orElse(null);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
