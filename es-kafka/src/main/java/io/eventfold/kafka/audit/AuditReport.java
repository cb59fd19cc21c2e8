package io.eventfold.kafka.audit;

import io.eventfold.core.CommandResult;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a {@link LogAudit} found in an aggregate type's topics, and which part of them it could
 * hold to which guarantee: the results and commands topics lose their oldest records to
 * retention, so what is counted as outside the window was read but not checked for a result.
 *
 * <pre>{@code
 * AuditReport report = LogAudit.of(invoices).run(consumerProperties);
 * if (!report.clean()) {
 *     report.violations().forEach(System.err::println);
 * }
 * System.out.println(report.resultsWindow().describe());   // "invoice-command-results from 2026-11-21T08:00:00Z (…)"
 * }</pre>
 *
 * @param commands commands asked for by a command record that has its result, or that is
 *     inside the window without one: an aggregate id and a command id, counted once however
 *     many records asked for it; records the topology dead-lettered are not commands
 * @param results results held that are not re-sent duplicates
 * @param resultsByKind those results by kind
 * @param duplicateResults results held that re-send the answer to a command handled before
 * @param events events read: all of them, events are never deleted
 * @param aggregates aggregates with at least one event
 * @param deadLetters records on the dead-letter topic
 * @param resultsWindow what the results topic still holds
 * @param commandsWindow what the commands topic still holds
 * @param commandsOutsideWindow command records without a result that come before the window:
 *     their results were deleted, so they were not checked for one (and records that can only
 *     be dead-lettered, when the dead-letter topic has lost records)
 * @param eventsOutsideWindow events without a result that come before the window: their
 *     command's result was deleted, so they were not checked for one
 * @param commandsPending command records the application had not handled when the audit took
 *     the topics' ends (those written while it ran, and, when it knows the application's
 *     position, those the application had not reached), and earlier records of the same
 *     commands: left out of every check, with their results and events
 * @param deadlines the deadlines the events scheduled and cancelled, and the commands they fired
 * @param processManagers per process manager audited with {@link LogAudit#processManagers}, its
 *     commands derived, sent and handled
 * @param violations the broken guarantees, one sentence each, naming the ids (ids and
 *     sentences cut to a bound): the first 1,000
 * @param violationsNotKept how many more violations were found and not kept
 */
public record AuditReport(long commands, long results, Map<CommandResult.Kind, Long> resultsByKind, long duplicateResults,
                          long events, long aggregates, long deadLetters, RetentionWindow resultsWindow,
                          RetentionWindow commandsWindow, long commandsOutsideWindow, long eventsOutsideWindow,
                          long commandsPending, DeadlineCounts deadlines, List<ProcessManagerCounts> processManagers,
                          List<String> violations, long violationsNotKept) {

    /**
     * Copies the map and the violations.
     *
     * @param commands commands answered or checked
     * @param results non-duplicate results
     * @param resultsByKind non-duplicate results by kind
     * @param duplicateResults re-sent results
     * @param events events
     * @param aggregates aggregates with events
     * @param deadLetters dead-letter records
     * @param resultsWindow what the results topic holds
     * @param commandsWindow what the commands topic holds
     * @param commandsOutsideWindow command records not checked for a result
     * @param eventsOutsideWindow events not checked for a result
     * @param commandsPending command records not yet handled, left out
     * @param deadlines the deadline counts
     * @param processManagers the counts of each process manager audited
     * @param violations broken guarantees, the first ones
     * @param violationsNotKept broken guarantees found beyond those
     */
    public AuditReport {
        resultsByKind = Map.copyOf(resultsByKind);
        Objects.requireNonNull(resultsWindow, "resultsWindow must not be null");
        Objects.requireNonNull(commandsWindow, "commandsWindow must not be null");
        Objects.requireNonNull(deadlines, "deadlines must not be null");
        processManagers = List.copyOf(processManagers);
        violations = List.copyOf(violations);
    }

    /**
     * Tells whether every guarantee holds, within the window.
     *
     * @return {@code true} when there is no violation
     */
    public boolean clean() {
        return violations.isEmpty() && violationsNotKept == 0;
    }

    /**
     * How many violations the audit found, kept or not.
     *
     * <pre>{@code
     * report.violationCount()   // 1_250 when 1,000 are listed in violations() and 250 more were found
     * }</pre>
     *
     * @return the number of broken guarantees found
     */
    public long violationCount() {
        return violations.size() + violationsNotKept;
    }

    /**
     * A few lines for a terminal or a log: the counts, the window, then at most 50 violations.
     *
     * <pre>{@code
     * commands 160, results 160 {ACCEPTED=160} (+16 re-sent), events 160 of 40 aggregates, dead letters 0: no violations
     *   window: invoice-command-results complete, invoice-commands complete
     *   deadlines: 40 scheduled, 10 cancelled, 28 fired, 2 waiting
     *   process manager invoice-accounts: 40 commands derived from events, 40 sent (0 in reply to results), 40 handled, 0 events dead-lettered
     * }</pre>
     * The deadlines line is left out when the type has none, the process manager lines when none was audited.
     *
     * @return the summary
     */
    public String summary() {
        StringBuilder text = new StringBuilder()
                .append("commands ").append(commands).append(", results ").append(results).append(' ').append(new TreeMap<>(resultsByKind))
                .append(" (+").append(duplicateResults).append(" re-sent), events ").append(events)
                .append(" of ").append(aggregates).append(" aggregates, dead letters ").append(deadLetters)
                .append(": ").append(clean() ? "no violations" : violationCount() + " violations")
                .append("\n  window: ").append(resultsWindow.describe()).append(", ").append(commandsWindow.describe());
        if (commandsOutsideWindow > 0 || eventsOutsideWindow > 0) {
            text.append("; before it, not checked for a result: ").append(commandsOutsideWindow).append(" command records, ")
                    .append(eventsOutsideWindow).append(" events");
        }
        if (commandsPending > 0) {
            text.append("; not yet handled, left out: ").append(commandsPending).append(" command records");
        }
        if (!deadlines.equals(DeadlineCounts.NONE)) {
            text.append("\n  deadlines: ").append(deadlines.describe());
        }
        processManagers.forEach(manager -> text.append("\n  process manager ").append(manager.describe()));
        violations.stream().limit(50).forEach(violation -> text.append("\n  - ").append(violation));
        if (violationCount() > 50) {
            text.append("\n  … and ").append(violationCount() - 50).append(" more");
            if (violationsNotKept > 0) {
                text.append(" (the report keeps the first ").append(violations.size()).append(')');
            }
        }
        return text.toString();
    }
}
