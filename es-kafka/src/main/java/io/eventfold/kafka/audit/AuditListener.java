package io.eventfold.kafka.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.Objects;

/**
 * Told of a {@link LogAudit}'s progress while it reads, from the thread that runs the audit: a
 * long audit of a big events topic shows it is moving. By default the audit logs its progress
 * through SLF4J; as a command it prints it on standard error.
 *
 * <pre>{@code
 * LogAudit.of(invoices).progress(AuditListener.printing(System.err)).run(properties);
 * }</pre>
 */
@FunctionalInterface
public interface AuditListener {

    /**
     * Called every {@value LogAudit#PROGRESS_EVERY_RECORDS} records or
     * {@value LogAudit#PROGRESS_EVERY_SECONDS} seconds of a partition's read, and once at its end.
     *
     * @param progress the partition being read and how far
     */
    void onProgress(AuditProgress progress);

    /**
     * Logs on the {@code io.eventfold.kafka.audit.LogAudit} logger: a long read's reports and its
     * end at INFO, the end of a partition of fewer than {@value LogAudit#PROGRESS_EVERY_RECORDS}
     * records at DEBUG, so that a quick audit logs nothing at INFO.
     *
     * <pre>{@code
     * LogAudit.of(invoices).progress(AuditListener.logging())   // what an audit does by default
     * }</pre>
     *
     * @return the listener
     */
    static AuditListener logging() {
        Logger log = LoggerFactory.getLogger(LogAudit.class);
        return progress -> {
            if (progress.finished() && progress.records() < LogAudit.PROGRESS_EVERY_RECORDS) {
                log.debug("audit: {}", progress.describe());
            } else {
                log.info("audit: {}", progress.describe());
            }
        };
    }

    /**
     * Prints each report on its own line.
     *
     * <pre>{@code
     * AuditListener.printing(System.err)
     * }</pre>
     *
     * @param out where to print, e.g. {@code System.err}
     * @return the listener
     */
    static AuditListener printing(PrintStream out) {
        Objects.requireNonNull(out, "out must not be null");
        return progress -> out.println("audit: " + progress.describe());
    }
}
