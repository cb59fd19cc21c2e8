package io.eventfold.kafka.internal;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bytes {@link OutputLimits} keeps free below a limit hold lz4's framing of data it cannot
 * shrink, the way the stream thread's producer compresses a batch (lz4, as
 * {@code EventfoldConfig.streams} sets it): a record at the bound, of random bytes, makes a batch
 * within the limit, for limits from 1 MiB to 64 MiB. (A fixed 1 KiB was short above about 16 MiB.)
 * Kafka's own batch builder measures the batch, from its internal record package.
 */
class OutputLimitsCompressionTest {

    private static final String TOPIC = "invoice-events";
    private static final String KEY = "invoice-1";

    @ParameterizedTest
    @ValueSource(ints = {1 << 20, 5 << 20, 16 << 20, 64 << 20})
    void shouldKeepAnIncompressibleRecordAtTheBoundWithinTheLimitOnceCompressed(int limit) {
        OutputLimits limits = OutputLimits.of(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.MAX_VALUE,
                OutputLimits.TOPIC_LIMIT_PREFIX + TOPIC, limit));
        int allowed = limit - OutputLimits.compressionMargin(limit);
        byte[] value = randomBytes(allowed - RecordSize.upperBound(KEY, new byte[0], new RecordHeaders()));

        assertThat(limits.problem("event", TOPIC, RecordSize.upperBound(KEY, value, new RecordHeaders()))).isNull();
        assertThat(limits.problem("event", TOPIC, RecordSize.upperBound(KEY, value, new RecordHeaders()) + 1)).isNotNull();
        assertThat(lz4BatchBytes(value)).as("an lz4 batch of one record at the bound of a %,d-byte limit", limit)
                .isLessThanOrEqualTo(limit);
    }

    @ParameterizedTest
    @ValueSource(ints = {1 << 20, 64 << 20})
    void shouldNeedTheBytesItKeepsFree(int limit) {
        byte[] value = randomBytes(limit - RecordSize.upperBound(KEY, new byte[0], new RecordHeaders()));

        assertThat(lz4BatchBytes(value)).as("an lz4 batch of one record at the limit itself").isGreaterThan(limit);
    }

    private static int lz4BatchBytes(byte[] value) {
        return MemoryRecords.withRecords(Compression.lz4().build(),
                new SimpleRecord(0L, KEY.getBytes(StandardCharsets.UTF_8), value)).sizeInBytes();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(8).nextBytes(bytes);
        return bytes;
    }
}
