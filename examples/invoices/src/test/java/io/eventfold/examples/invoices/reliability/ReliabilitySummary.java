package io.eventfold.examples.invoices.reliability;

import io.eventfold.kafka.audit.AuditReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The scenarios' figures, one row each, appended to {@code target/reliability/summary.md}: the
 * tables docs/reliability.md quotes.
 */
final class ReliabilitySummary {

    private static final Path SUMMARY = Path.of("target", "reliability", "summary.md");

    private ReliabilitySummary() {
    }

    /**
     * Appends one scenario's row from its audit: results re-sent, commands without a result (lost)
     * and with more than one (duplicated).
     */
    static void record(String scenario, long expected, String faults, long retries, AuditReport report, long startNanos)
            throws IOException {
        long lost = report.violations().stream().filter(violation -> violation.endsWith(" has no result")).count();
        long duplicated = report.violations().stream().filter(violation -> violation.matches("command .* has \\d+ results: .*")).count();
        record(scenario, expected, faults, retries, report.results(), report.duplicateResults(), lost, duplicated,
                report.violations().size(), startNanos);
    }

    /**
     * Appends one scenario's row.
     *
     * @param reSent results or records sent or read again after a fault
     * @param violations what the scenario's checks found wrong (the audit's violations, or rows)
     */
    static void record(String scenario, long expected, String faults, long retries, long results, long reSent, long lost,
                       long duplicated, long violations, long startNanos) throws IOException {
        Files.createDirectories(SUMMARY.getParent());
        if (!Files.exists(SUMMARY)) {
            Files.writeString(SUMMARY, "| scenario | answers expected | faults injected | client retries | results | re-sent | lost "
                    + "| duplicated | violations | seconds |\n|---|---|---|---|---|---|---|---|---|---|\n");
        }
        Files.writeString(SUMMARY, "| " + scenario + " | " + expected + " | " + faults + " | " + retries + " | " + results + " | "
                        + reSent + " | " + lost + " | " + duplicated + " | " + violations + " | "
                        + (System.nanoTime() - startNanos) / 1_000_000_000 + " |\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
