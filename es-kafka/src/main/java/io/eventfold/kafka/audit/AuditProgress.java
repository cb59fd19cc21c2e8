package io.eventfold.kafka.audit;

/**
 * How far a {@link LogAudit} has read one partition of a topic: reported every so many records
 * or seconds, and once when the partition is read to its end.
 *
 * <pre>{@code
 * LogAudit.of(invoices).progress(progress -> metrics.gauge(progress.topic(), progress.records())).run(properties);
 * }</pre>
 *
 * @param topic the topic being read
 * @param partition the partition being read
 * @param partitions how many partitions the topic has
 * @param records committed records read from this partition so far
 * @param offsets offsets between the partition's first and its end: the records to read, plus
 *     transaction markers and aborted records, which are passed over
 * @param finished true once the partition is read to the end it had when its read began
 */
public record AuditProgress(String topic, int partition, int partitions, long records, long offsets, boolean finished) {

    /**
     * One line for a terminal or a log.
     *
     * <pre>{@code
     * progress.describe()   // "invoice-events partition 3 of 12: 120000 records of at most 500000 (24%)"
     * }</pre>
     *
     * @return the topic, the partition and how much of it was read
     */
    public String describe() {
        String where = topic + " partition " + partition + " of " + partitions + ": " + records + " records";
        if (finished) {
            return where + ", read to the end";
        }
        return where + " of at most " + offsets + (offsets == 0 ? "" : " (" + records * 100 / offsets + "%)");
    }
}
