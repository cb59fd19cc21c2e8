package io.eventfold.benchmarks.e2e;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;

/**
 * Invoice histories in the invoice domain's first event format, written straight to an events
 * topic as the first release wrote them: no {@code typeVersion}, line items without a tax rate,
 * payments as {@code PaymentReceived}. Each invoice is created, given line items, sent and paid;
 * the invoices are interleaved, as a round-robin workload leaves them on a topic.
 *
 * <pre>{@code
 * long written = new FirstFormatHistories(100_000, 10).write(bootstrap, "invoice-events");
 * }</pre>
 *
 * @param invoices how many invoices
 * @param eventsPerInvoice events of each: created, {@code eventsPerInvoice - 3} line items, sent, paid; at least 4
 */
record FirstFormatHistories(int invoices, int eventsPerInvoice) {

    private static final Instant START = Instant.parse("2026-01-05T08:00:00Z");
    private static final BigDecimal UNIT_PRICE = new BigDecimal("12.50");

    FirstFormatHistories {
        if (eventsPerInvoice < 4) {
            throw new IllegalArgumentException("an invoice needs at least 4 events but was given " + eventsPerInvoice);
        }
    }

    /** Writes every history with an idempotent producer and returns the number of events written. */
    long write(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        long written = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (int version = 1; version <= eventsPerInvoice; version++) {
                for (int invoice = 0; invoice < invoices; invoice++) {
                    String id = String.format(Locale.ROOT, "INV-%07d", invoice);
                    Instant at = START.plusSeconds(60L * invoice + version);
                    producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), id, event(id, version, at)));
                    written++;
                }
            }
            producer.flush();
        }
        return written;
    }

    private byte[] event(String id, int version, Instant at) {
        String type;
        String payload;
        int lineItems = eventsPerInvoice - 3;
        if (version == 1) {
            type = "InvoiceCreated";
            payload = "{\"customer\":{\"name\":\"Customer " + id + "\",\"email\":\"billing@example.com\"},"
                    + "\"issueDate\":\"2026-01-05\",\"dueDate\":\"2026-02-04\",\"currency\":\"EUR\"}";
        } else if (version <= 1 + lineItems) {
            type = "LineItemAdded";
            int item = version - 1;
            payload = "{\"lineItem\":{\"lineItemId\":\"li-" + item + "\",\"description\":\"Consulting hour " + item
                    + "\",\"quantity\":" + quantity(item) + ",\"unitPrice\":" + UNIT_PRICE.toPlainString() + "}}";
        } else if (version == 2 + lineItems) {
            type = "InvoiceSent";
            payload = "{}";
        } else {
            type = "PaymentReceived";
            payload = "{\"amount\":" + total(lineItems).toPlainString() + "}";
        }
        return ("{\"aggregateId\":\"" + id + "\",\"version\":" + version + ",\"type\":\"" + type + "\",\"commandId\":\""
                + id + "-" + version + "\",\"timestamp\":\"" + at + "\",\"payload\":" + payload + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static int quantity(int item) {
        return 1 + item % 4;
    }

    private static BigDecimal total(int lineItems) {
        BigDecimal total = BigDecimal.ZERO;
        for (int item = 1; item <= lineItems; item++) {
            total = total.add(UNIT_PRICE.multiply(BigDecimal.valueOf(quantity(item))));
        }
        return total;
    }
}
