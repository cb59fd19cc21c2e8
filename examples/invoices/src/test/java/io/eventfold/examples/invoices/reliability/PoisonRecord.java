package io.eventfold.examples.invoices.reliability;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * One bad command record. {@link #answerable()} says whether the topology can answer it with a
 * {@code Failed} result (it knows a command id and an aggregate id) or must dead-letter it.
 */
record PoisonRecord(String key, byte[] value, String headerCommandId, boolean answerable) {

    static PoisonRecord make(int i, Random random) {
        String id = "poison-" + i;
        String envelope = "{\"commandId\":\"" + id + "\",\"aggregateId\":\"INV-X-" + i + "\",\"type\":\"%s\",\"payload\":{}}";
        return switch (i % 8) {
            case 0 -> new PoisonRecord("INV-X-" + i, bytes(random, 1 + random.nextInt(200)), null, false);
            case 1 -> new PoisonRecord("INV-X-" + i, bytes(random, 1 + random.nextInt(200)), id, true);
            case 2 -> new PoisonRecord("INV-X-" + i, utf8(String.format(envelope, "SendInvoice").substring(0, 30)), id, true);
            case 3 -> new PoisonRecord("INV-X-" + i, utf8(String.format(envelope, "Teleport")), null, true);
            case 4 -> new PoisonRecord(null, utf8(String.format(envelope, "SendInvoice")), null, true);
            case 5 -> new PoisonRecord("INV-OTHER-" + i, utf8(String.format(envelope, "SendInvoice")), null, true);
            case 6 -> new PoisonRecord("INV-X-" + i, null, id, true);
            default -> i % 400 == 7
                    ? new PoisonRecord("INV-X-" + i, bytes(random, 200_000), id, true)
                    : new PoisonRecord("  ", utf8("{\"truncated\":"), null, false);
        };
    }

    private static byte[] bytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        bytes[0] = '#';   // never valid JSON, whatever follows
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
