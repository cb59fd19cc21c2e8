package io.eventfold.kafka.audit;

/**
 * What a {@link LogAudit} found of an aggregate type's deadlines: the changes its events record
 * (the {@code eventfold.deadlines} header of a decision's last event) and the commands fired on
 * its commands topic (the records with the {@code eventfold.deadline} header).
 *
 * <pre>{@code
 * DeadlineCounts deadlines = LogAudit.of(invoices).run(consumerProperties).deadlines();
 * System.out.println(deadlines.describe());   // "40 scheduled, 10 cancelled, 28 fired, 2 waiting"
 * }</pre>
 *
 * @param scheduled deadlines scheduled, replacements included, by the events read
 * @param cancelled cancellations the events record (of a deadline waiting or not)
 * @param fired distinct deadline commands on the commands topic
 * @param waiting deadlines that are the last of their id, not fired, and not yet held to having
 *     fired: not due (or recorded) before the audit's start less its grace, or scheduled by a
 *     command the application had not handled when the audit took its mark
 * @param outsideWindow deadlines due, not fired, and due before the oldest record the commands
 *     topic still holds: their command may have been deleted with it, so they were not checked
 */
public record DeadlineCounts(long scheduled, long cancelled, long fired, long waiting, long outsideWindow) {

    /** No deadline at all. */
    public static final DeadlineCounts NONE = new DeadlineCounts(0, 0, 0, 0, 0);

    /**
     * A few words for a report.
     *
     * <pre>{@code
     * new DeadlineCounts(40, 10, 28, 2, 0).describe()   // "40 scheduled, 10 cancelled, 28 fired, 2 waiting"
     * }</pre>
     *
     * @return the counts, and how many were outside the window when there are any
     */
    public String describe() {
        return scheduled + " scheduled, " + cancelled + " cancelled, " + fired + " fired, " + waiting + " waiting"
                + (outsideWindow > 0 ? ", " + outsideWindow + " due before the window, not checked" : "");
    }
}
