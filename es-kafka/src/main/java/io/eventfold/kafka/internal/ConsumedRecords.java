package io.eventfold.kafka.internal;

import io.eventfold.kafka.EventfoldHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

import java.util.OptionalLong;

/**
 * What the readers of the output topics tell about a record they could not decode: where it is,
 * and the version its header carries, which needs no decoding.
 */
public final class ConsumedRecords {

    private ConsumedRecords() {
    }

    /**
     * Where a record is, as {@code topic-partition@offset}.
     *
     * @param record the record
     * @return its position
     */
    public static String source(ConsumerRecord<?, ?> record) {
        return RecordPosition.of(record).toString();
    }

    /**
     * The version in a record's {@link EventfoldHeaders#VERSION} header.
     *
     * @param headers the record's headers
     * @return the version; empty when the header is absent or not a number
     */
    public static OptionalLong version(Headers headers) {
        try {
            return EventfoldHeaders.read(headers, EventfoldHeaders.VERSION)
                    .map(value -> OptionalLong.of(Long.parseLong(value.trim()))).orElse(OptionalLong.empty());
        } catch (NumberFormatException notANumber) {
            return OptionalLong.empty();
        }
    }
}
