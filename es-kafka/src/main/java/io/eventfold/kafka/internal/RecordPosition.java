package io.eventfold.kafka.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.util.Optional;

/**
 * Where a record is: written as {@code topic-partition@offset} in log lines, error messages and
 * the dead letters' {@code eventfold.source} header, and read back from that header by the audit.
 * The one place of that format.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the offset
 */
public record RecordPosition(String topic, int partition, long offset) {

    /**
     * Where the record a processor works on is, as text; {@code orElse} when it works on none (a
     * punctuation).
     *
     * @param metadata the processor context's record metadata
     * @param orElse the text without a record
     * @return {@code topic-partition@offset}, or {@code orElse}
     */
    public static String describe(Optional<RecordMetadata> metadata, String orElse) {
        return metadata.map(m -> new RecordPosition(m.topic(), m.partition(), m.offset()).toString()).orElse(orElse);
    }

    /** The position of a consumed record. */
    public static RecordPosition of(ConsumerRecord<?, ?> record) {
        return new RecordPosition(record.topic(), record.partition(), record.offset());
    }

    /**
     * Reads {@code topic-partition@offset}; topic names may contain dashes, so the last one before
     * the {@code @} counts.
     *
     * @return the position, or empty if the text is not one
     */
    public static Optional<RecordPosition> parse(String text) {
        int at = text.lastIndexOf('@');
        int dash = at < 0 ? -1 : text.lastIndexOf('-', at);
        if (dash <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RecordPosition(text.substring(0, dash), Integer.parseInt(text.substring(dash + 1, at)),
                    Long.parseLong(text.substring(at + 1))));
        } catch (NumberFormatException notAPosition) {
            return Optional.empty();
        }
    }

    /** {@code topic-partition@offset}. */
    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
