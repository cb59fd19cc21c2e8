package io.eventfold.kafka.projection;

import io.eventfold.core.Event;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldHeaders;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.Map;

/**
 * Writes account events straight to the events topic, with the type's serializer, in one Kafka
 * transaction per call: a read_committed consumer sees each call's records at once, in one batch.
 * Lets a test write what the command topology never would, such as a missing version.
 */
final class RawEvents implements AutoCloseable {

    private final AggregateType<AccountCommand, AccountEvent, Account> type;
    private final KafkaProducer<String, byte[]> producer;

    RawEvents(EmbeddedKafkaExtension kafka, AggregateType<AccountCommand, AccountEvent, Account> type) {
        this.type = type;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "raw-events-" + type.topics().events()),
                new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    /** Writes the events, in order, in one transaction. */
    @SafeVarargs
    final void write(Event<AccountEvent>... events) {
        producer.beginTransaction();
        for (Event<AccountEvent> event : events) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(type.topics().events(), event.aggregateId(),
                    type.serdes().events().serializer().serialize(type.topics().events(), event));
            EventfoldHeaders.put(record.headers(), EventfoldHeaders.VERSION, Long.toString(event.version()));
            producer.send(record);
        }
        producer.commitTransaction();
    }

    static Event<AccountEvent> event(String account, long version, AccountEvent payload) {
        return new Event<>(account, version, "c-" + account + "-" + version, Instant.parse("2026-11-30T10:00:00Z"), payload);
    }

    @Override
    public void close() {
        producer.close();
    }
}
