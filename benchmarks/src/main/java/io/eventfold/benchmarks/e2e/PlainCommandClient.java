package io.eventfold.benchmarks.e2e;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baseline's client: a plain producer with the gateway's producer settings sends the command
 * envelope with the {@code eventfold.command-id} header, and a {@code read_committed} consumer
 * decodes each result and completes the command whose id its header carries, as the gateway does.
 */
final class PlainCommandClient implements CommandClient {

    private final AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, CompletableFuture<CommandResult<InvoiceEvent, Invoice>>> pending = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    PlainCommandClient(AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type, String bootstrapServers) {
        this.type = type;
        this.producer = new KafkaProducer<>(EventfoldConfig.commandProducer(bootstrapServers),
                new StringSerializer(), new ByteArraySerializer());
        Properties consumerProps = EventfoldConfig.readCommittedConsumer(bootstrapServers, "unused");
        consumerProps.remove("group.id");
        this.consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(type.topics().commandResults()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, before any command is sent
        this.reader = new Thread(this::readResults, "baseline-results");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public CompletableFuture<CommandResult<InvoiceEvent, Invoice>> send(Command<InvoiceCommand> command) {
        CompletableFuture<CommandResult<InvoiceEvent, Invoice>> future = new CompletableFuture<>();
        pending.put(command.commandId(), future);
        byte[] value = type.serdes().commands().serializer().serialize(type.topics().commands(), command);
        RecordHeaders headers = new RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, command.commandId());
        producer.send(new ProducerRecord<>(type.topics().commands(), null, command.aggregateId(), value, headers),
                (metadata, error) -> {
                    if (error != null && pending.remove(command.commandId()) != null) {
                        future.completeExceptionally(error);
                    }
                });
        return future;
    }

    private void readResults() {
        Deserializer<CommandResult<InvoiceEvent, Invoice>> results = type.serdes().results().deserializer();
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    String id = EventfoldHeaders.commandId(record.headers()).orElse(null);
                    if (id == null) {
                        continue;
                    }
                    CompletableFuture<CommandResult<InvoiceEvent, Invoice>> future = pending.remove(id);
                    if (future != null) {
                        future.complete(results.deserialize(record.topic(), record.value()));
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the consumer up
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        running = false;
        consumer.wakeup();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending.values().forEach(future -> future.completeExceptionally(new IllegalStateException("client closed")));
    }
}
