package org.slf4j;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;

/**
 * A working MDC for a test: slf4j-simple, the tests' backend, gives a no-op one, which would make
 * a test of the MDC keys see nothing. In SLF4J's package to reach its package-private setter.
 */
public final class WorkingMdc implements AutoCloseable {

    private final MDCAdapter previous;

    private WorkingMdc() {
        this.previous = MDC.getMDCAdapter();
        MDC.setMDCAdapter(new BasicMDCAdapter());
    }

    /**
     * Puts a {@link BasicMDCAdapter} in place until closed.
     *
     * @return what puts the previous adapter back
     */
    public static WorkingMdc install() {
        return new WorkingMdc();
    }

    @Override
    public void close() {
        MDC.setMDCAdapter(previous);
    }
}
