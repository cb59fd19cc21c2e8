package io.eventfold.kafka.projection;

import java.util.Objects;

/**
 * One record as a {@link Projection} receives it: the decoded value, the aggregate and version it
 * belongs to, and where it was read.
 *
 * <pre>{@code
 * for (Delivery<Event<InvoiceEvent>> delivery : batch) {
 *     insertHistoryRow(connection, delivery.value());
 *     log.debug("applied {}", delivery.coordinates());   // invoices-events-2@1234
 * }
 * }</pre>
 *
 * @param value the decoded event or snapshot
 * @param aggregateId the aggregate the record belongs to
 * @param version the aggregate's version the record carries
 * @param topic the topic it was read from
 * @param partition its partition
 * @param offset its offset
 * @param <T> what the projection reads: {@code Event<E>} or {@code Snapshot<S>}
 */
public record Delivery<T>(T value, String aggregateId, long version, String topic, int partition, long offset) {

    /**
     * Validates the components.
     *
     * @param value the decoded event or snapshot, not null
     * @param aggregateId the aggregate, not null
     * @param version the version
     * @param topic the topic, not null
     * @param partition the partition
     * @param offset the offset
     */
    public Delivery {
        Objects.requireNonNull(value, "value must not be null");
        Objects.requireNonNull(aggregateId, "aggregateId must not be null");
        Objects.requireNonNull(topic, "topic must not be null");
    }

    /**
     * Where the record is, the way every Eventfold message names a record.
     *
     * <pre>{@code
     * delivery.coordinates();   // "invoices-events-2@1234"
     * }</pre>
     *
     * @return {@code topic-partition@offset}
     */
    public String coordinates() {
        return topic + "-" + partition + "@" + offset;
    }
}
