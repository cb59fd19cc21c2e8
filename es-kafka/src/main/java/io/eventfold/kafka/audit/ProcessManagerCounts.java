package io.eventfold.kafka.audit;

/**
 * What a {@link LogAudit} found of one process manager's commands on its target type's commands
 * topic, and of the replay of the manager over its source type's events.
 *
 * <pre>{@code
 * AuditReport report = LogAudit.of(accounts).processManagers(invoiceAccounts).run(consumerProperties);
 * ProcessManagerCounts counts = report.processManagers().get(0);
 * System.out.println(counts.describe());
 * // "invoice-accounts: 120 commands derived from events, 150 sent (30 in reply to results), 150 handled, 0 events dead-lettered"
 * }</pre>
 *
 * @param name the manager's name
 * @param expected commands the replay of the manager derives from the source events it reached,
 *     each of which must be on the target's commands topic
 * @param sent distinct commands on the target's commands topic that carry the manager's name
 * @param fromResults of those, the ones sent in reply to a result
 * @param handled of those, the ones with a final result held on the target's results topic
 * @param deadLetteredEvents source events the manager sent to its dead-letter topic (it failed on
 *     them, or could not read or write them): no command is derived from them
 * @param pending commands sent and left out: not yet handled by the target when the audit took its
 *     mark, or sent for events past the manager's position
 * @param outsideWindow commands derived from events older than the oldest record the target's
 *     commands topic (or the manager's dead-letter topic) still holds: not required
 */
public record ProcessManagerCounts(String name, long expected, long sent, long fromResults, long handled,
                                   long deadLetteredEvents, long pending, long outsideWindow) {

    /**
     * A few words for a report.
     *
     * <pre>{@code
     * new ProcessManagerCounts("billing", 3, 4, 1, 4, 0, 0, 0).describe()
     * // "billing: 3 commands derived from events, 4 sent (1 in reply to results), 4 handled, 0 events dead-lettered"
     * }</pre>
     *
     * @return the manager's name and its counts
     */
    public String describe() {
        return name + ": " + expected + " commands derived from events, " + sent + " sent (" + fromResults
                + " in reply to results), " + handled + " handled, " + deadLetteredEvents + " events dead-lettered"
                + (pending > 0 ? ", " + pending + " pending" : "")
                + (outsideWindow > 0 ? ", " + outsideWindow + " derived before the window, not checked" : "");
    }
}
