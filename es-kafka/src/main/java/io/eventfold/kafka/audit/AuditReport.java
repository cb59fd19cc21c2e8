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
 * @param violations every broken guarantee, one sentence each, naming the ids
 */
public record AuditReport(long commands, long results, Map<CommandResult.Kind, Long> resultsByKind, long duplicateResults,
                          long events, long aggregates, long deadLetters, RetentionWindow resultsWindow,
                          RetentionWindow commandsWindow, long commandsOutsideWindow, long eventsOutsideWindow,
                          List<String> violations) {

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
     * @param violations broken guarantees
     */
    public AuditReport {
        resultsByKind = Map.copyOf(resultsByKind);
        Objects.requireNonNull(resultsWindow, "resultsWindow must not be null");
        Objects.requireNonNull(commandsWindow, "commandsWindow must not be null");
        violations = List.copyOf(violations);
    }

    /**
     * Tells whether every guarantee holds, within the window.
     *
     * @return {@code true} when there is no violation
     */
    public boolean clean() {
        return violations.isEmpty();
    }

    /**
     * A few lines for a terminal or a log: the counts, the window, then at most 50 violations.
     *
     * <pre>{@code
     * commands 160, results 160 {ACCEPTED=160} (+16 re-sent), events 160 of 40 aggregates, dead letters 0: no violations
     *   window: invoice-command-results complete, invoice-commands complete
     * }</pre>
     *
     * @return the summary
     */
    public String summary() {
        StringBuilder text = new StringBuilder()
                .append("commands ").append(commands).append(", results ").append(results).append(' ').append(new TreeMap<>(resultsByKind))
                .append(" (+").append(duplicateResults).append(" re-sent), events ").append(events)
                .append(" of ").append(aggregates).append(" aggregates, dead letters ").append(deadLetters)
                .append(": ").append(violations.isEmpty() ? "no violations" : violations.size() + " violations")
                .append("\n  window: ").append(resultsWindow.describe()).append(", ").append(commandsWindow.describe());
        if (commandsOutsideWindow > 0 || eventsOutsideWindow > 0) {
            text.append("; before it, not checked for a result: ").append(commandsOutsideWindow).append(" command records, ")
                    .append(eventsOutsideWindow).append(" events");
        }
        violations.stream().limit(50).forEach(violation -> text.append("\n  - ").append(violation));
        if (violations.size() > 50) {
            text.append("\n  … and ").append(violations.size() - 50).append(" more");
        }
        return text.toString();
    }
}
