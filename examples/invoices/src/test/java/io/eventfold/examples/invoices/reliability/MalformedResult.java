package io.eventfold.examples.invoices.reliability;

import io.eventfold.kafka.EventfoldHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A record on the results topic that no command topology wrote: what a misconfigured producer,
 * a test tool or an older format leaves there. Gateways must pass over it; the audit must report it.
 */
final class MalformedResult {

    private MalformedResult() {
    }

    static ProducerRecord<String, byte[]> make(String topic, int i, Random random) {
        String key = "INV-MALFORMED-" + i;
        RecordHeaders headers = new RecordHeaders();
        byte[] value;
        switch (i % 4) {
            case 0 -> value = randomBytes(random);
            case 1 -> {
                headers.add(EventfoldHeaders.COMMAND_ID, null);
                value = utf8("{\"kind\":");
            }
            case 2 -> {
                EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, "ghost-" + i);
                value = utf8("{\"kind\":\"TELEPORTED\",\"commandId\":\"ghost-" + i + "\"}");
            }
            default -> {
                EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, "ghost-" + i);
                value = null;
            }
        }
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(300)];
        random.nextBytes(bytes);
        bytes[0] = '#';   // never JSON
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
