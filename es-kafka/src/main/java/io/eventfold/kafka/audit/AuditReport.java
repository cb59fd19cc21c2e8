package io.eventfold.kafka.audit;

import io.eventfold.core.CommandResult;

import java.util.List;
import java.util.Map;

/**
 * What a {@link LogAudit} found in an aggregate type's topics.
 *
 * <pre>{@code
 * AuditReport report = LogAudit.of(invoices).run(consumerProperties);
 * if (!report.clean()) {
 *     report.violations().forEach(System.err::println);
 * }
 * }</pre>
 *
 * @param commands distinct command ids on the commands topic
 * @param results non-duplicate results read
 * @param resultsByKind the non-duplicate results by kind
 * @param duplicateResults results re-sent for commands handled before
 * @param events events read
 * @param aggregates aggregates with at least one event
 * @param deadLetters records on the dead-letter topic
 * @param violations every broken guarantee, one sentence each, naming the ids
 */
public record AuditReport(long commands, long results, Map<CommandResult.Kind, Long> resultsByKind, long duplicateResults,
                          long events, long aggregates, long deadLetters, List<String> violations) {

    /**
     * Copies the violations.
     *
     * @param commands command records with a command id
     * @param results non-duplicate results
     * @param resultsByKind non-duplicate results by kind
     * @param duplicateResults re-sent results
     * @param events events
     * @param aggregates aggregates with events
     * @param deadLetters dead-letter records
     * @param violations broken guarantees
     */
    public AuditReport {
        resultsByKind = Map.copyOf(resultsByKind);
        violations = List.copyOf(violations);
    }

    /**
     * Tells whether every guarantee holds.
     *
     * @return {@code true} when there is no violation
     */
    public boolean clean() {
        return violations.isEmpty();
    }

    /**
     * A few lines for a terminal or a log.
     *
     * @return the summary, then at most 50 violations
     */
    public String summary() {
        StringBuilder text = new StringBuilder()
                .append("commands ").append(commands).append(", results ").append(results).append(' ').append(new java.util.TreeMap<>(resultsByKind))
                .append(" (+").append(duplicateResults).append(" re-sent), events ").append(events)
                .append(" of ").append(aggregates).append(" aggregates, dead letters ").append(deadLetters)
                .append(": ").append(violations.isEmpty() ? "no violations" : violations.size() + " violations");
        violations.stream().limit(50).forEach(violation -> text.append("\n  - ").append(violation));
        if (violations.size() > 50) {
            text.append("\n  … and ").append(violations.size() - 50).append(" more");
        }
        return text.toString();
    }
}
