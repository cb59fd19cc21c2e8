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
            default -> switch (i % 400) {
                case 7 -> new PoisonRecord("INV-X-" + i, bytes(random, 200_000), id, true);
                // A parser's message would quote it whole: unbounded, its Failed result is 1.2 MB.
                case 15 -> new PoisonRecord("INV-X-" + i, utf8(String.format(envelope, "%s").replace("\"%s\"",
                        typeArrayOf(800_000))), null, true);
                // Every answer would carry the 600 kB id and be too large: a dead letter.
                case 23 -> new PoisonRecord("INV-X-" + i, utf8(String.format(envelope, "SendInvoice")
                        .replace(id, hugeId(i, 600_000))), null, false);
                // Just under the limit, unanswerable, and too large to dead-letter with the error headers.
                case 31 -> new PoisonRecord("INV-X-" + i, utf8("{\"type\":" + typeArrayOf(1_048_000 - 600_000 - 200) + "}"),
                        hugeId(i, 600_000), false);
                default -> new PoisonRecord("  ", utf8("{\"truncated\":"), null, false);
            };
        };
    }

    /** Not a type name but an array of them, as long as asked. */
    private static String typeArrayOf(int chars) {
        StringBuilder type = new StringBuilder("[");
        while (type.length() < chars) {
            type.append(type.length() == 1 ? "" : ",").append("\"SendInvoice\"");
        }
        return type.append(']').toString();
    }

    private static String hugeId(int i, int length) {
        String prefix = "poison-" + i + "-";
        return prefix + "x".repeat(length - prefix.length());
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
