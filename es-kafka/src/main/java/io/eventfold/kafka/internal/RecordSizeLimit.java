package io.eventfold.kafka.internal;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;

/**
 * The largest value the topology's producer accepts. An output over it is refused before
 * anything is applied: under exactly-once the producer's refusal would abort the transaction and
 * fail the same command again after every restart.
 */
final class RecordSizeLimit {

    /** Room for the key, the headers and the record batch around a value. */
    private static final int RECORD_OVERHEAD_BYTES = 16 * 1024;
    private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    private final int maxValueBytes;

    private RecordSizeLimit(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    /** The limit that the producer's {@code max.request.size} in these application configs implies. */
    static RecordSizeLimit of(Map<String, Object> appConfigs) {
        return new RecordSizeLimit(maxRequestSize(appConfigs) - RECORD_OVERHEAD_BYTES);
    }

    /** Throws {@link RecordTooLargeException} naming {@code what} when the value would not fit a record. */
    void check(byte[] value, String what) {
        if (value.length > maxValueBytes) {
            throw new RecordTooLargeException("the " + what + " would be " + value.length + " bytes, over the "
                    + maxValueBytes + " bytes that fit a record (max.request.size less headroom); nothing was applied");
        }
    }

    static int maxRequestSize(Map<String, Object> configs) {
        Object configured = configs.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (configured == null) {
            configured = configs.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        if (configured == null) {
            return DEFAULT_MAX_REQUEST_SIZE;
        }
        return configured instanceof Number number ? number.intValue() : Integer.parseInt(configured.toString().trim());
    }
}
