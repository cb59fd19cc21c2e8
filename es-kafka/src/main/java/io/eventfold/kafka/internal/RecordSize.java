package io.eventfold.kafka.internal;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * An upper bound of the bytes one record takes alone in a batch of Kafka's record format v2: what
 * the producer compares with {@code max.request.size} and the broker with a topic's
 * {@code max.message.bytes}. Key, value and every header count, not the value alone.
 */
final class RecordSize {

    /** The batch header around a single record. */
    private static final int BATCH_OVERHEAD = 61;
    /** Length, attributes, timestamp delta and offset delta of a record, at their largest. */
    private static final int RECORD_OVERHEAD = 5 + 1 + 10 + 5;
    /** A length or count written as a variable-length integer, at its largest. */
    private static final int VARINT = 5;

    private RecordSize() {
    }

    static int upperBound(String key, byte[] value, Headers headers) {
        long size = upperBound(key == null ? 0 : utf8Length(key), value == null ? 0 : value.length);
        size += VARINT;
        for (Header header : headers) {
            size += VARINT + utf8Length(header.key()) + VARINT + (header.value() == null ? 0 : header.value().length);
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /** A record without headers, as a store's changelog writes it. */
    static int upperBound(int keyBytes, int valueBytes) {
        return BATCH_OVERHEAD + RECORD_OVERHEAD + VARINT + keyBytes + VARINT + valueBytes + VARINT;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
