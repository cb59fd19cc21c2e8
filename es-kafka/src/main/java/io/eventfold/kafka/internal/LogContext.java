package io.eventfold.kafka.internal;

import io.eventfold.core.ErrorText;
import io.eventfold.kafka.EventfoldMdc;
import org.slf4j.MDC;

/**
 * Puts the {@link EventfoldMdc} keys into the SLF4J MDC around the work on one record, and puts
 * back what the thread had when it is closed: a caller's thread (a test driver's, or a runner's
 * listener) may have values of its own. A null value leaves its key as it was.
 *
 * <pre>{@code
 * try (LogContext ignored = LogContext.of(aggregateId, commandId, position)) { ... }
 * }</pre>
 */
public final class LogContext implements AutoCloseable {

    private static final String[] KEYS = {EventfoldMdc.AGGREGATE_ID, EventfoldMdc.COMMAND_ID, EventfoldMdc.SOURCE};

    private final String[] previous = new String[KEYS.length];
    private final boolean[] set = new boolean[KEYS.length];

    private LogContext(String... values) {
        for (int i = 0; i < KEYS.length; i++) {
            if (values[i] != null) {
                previous[i] = MDC.get(KEYS[i]);
                set[i] = true;
                // Bounded like ids in log lines: an oversized id is bad input too.
                MDC.put(KEYS[i], ErrorText.bounded(values[i]));
            }
        }
    }

    /**
     * Sets the keys whose value is not null.
     *
     * @param aggregateId the aggregate, or null
     * @param commandId the command, or null
     * @param source the record's position {@code topic-partition@offset}, or null
     * @return the context to close when the work is done
     */
    public static LogContext of(String aggregateId, String commandId, String source) {
        return new LogContext(aggregateId, commandId, source);
    }

    /** Puts back each key this context set as it was before. */
    @Override
    public void close() {
        for (int i = 0; i < KEYS.length; i++) {
            if (set[i]) {
                if (previous[i] == null) {
                    MDC.remove(KEYS[i]);
                } else {
                    MDC.put(KEYS[i], previous[i]);
                }
            }
        }
    }
}
