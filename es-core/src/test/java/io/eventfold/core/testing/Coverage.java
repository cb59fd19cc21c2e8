package io.eventfold.core.testing;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the inputs of one {@link PropertyRunner} run covered: the values the property collected,
 * counted. A share is a value's count among all collected values, so a property that collects
 * once per try gets shares of tries, one that collects once per command gets shares of commands.
 */
public final class Coverage {

    private final Map<Object, Long> counts = new LinkedHashMap<>();
    private final long runSeed;
    private final int tries;
    private final boolean enforced;
    private final String rerun;
    private long total;

    Coverage(long runSeed, int tries, boolean enforced, String rerun) {
        this.runSeed = runSeed;
        this.tries = tries;
        this.enforced = enforced;
        this.rerun = rerun;
    }

    /**
     * Records that the current input covered this value.
     *
     * @param value what was covered, for example a status or a kind of result
     */
    public void collect(Object value) {
        counts.merge(value, 1L, Long::sum);
        total++;
    }

    /**
     * How often a value was collected.
     *
     * @param value the value
     * @return its count
     */
    public long count(Object value) {
        return counts.getOrDefault(value, 0L);
    }

    /**
     * How many values were collected in all.
     *
     * @return the total count
     */
    public long total() {
        return total;
    }

    /**
     * Requires a value's share of all collected values. Not checked when a single seed was rerun.
     *
     * @param value the value
     * @param percent the least share in percent
     * @return this coverage, for more requirements
     * @throws AssertionError with the counts and the run seed, when the share is smaller
     */
    public Coverage requireAtLeast(Object value, double percent) {
        if (!enforced) {
            return this;
        }
        double share = total == 0 ? 0 : 100.0 * count(value) / total;
        if (share < percent) {
            throw new AssertionError(String.format(Locale.ROOT,
                    "Coverage of %s is %.2f%% (%d of %d collected values in %d tries), expected at least %s%%%n"
                            + "  collected: %s%n"
                            + "  rerun: %s -D%s=%d",
                    value, share, count(value), total, tries, percent, counts, rerun,
                    PropertyRunner.RUN_SEED_PROPERTY, runSeed));
        }
        return this;
    }
}
