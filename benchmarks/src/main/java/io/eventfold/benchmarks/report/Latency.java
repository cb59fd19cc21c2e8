package io.eventfold.benchmarks.report;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of a latency histogram, in milliseconds.
 *
 * @param count how many values were recorded
 * @param p50Ms the median
 * @param p95Ms the 95th percentile
 * @param p99Ms the 99th percentile
 * @param maxMs the largest value
 */
public record Latency(long count, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

    /** No values: the run was skipped. */
    public static final Latency NONE = new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /**
     * Reads the percentiles of a histogram of nanoseconds.
     *
     * @param nanos the histogram
     * @return its percentiles in milliseconds
     */
    public static Latency of(Histogram nanos) {
        return new Latency(nanos.getTotalCount(), ms(nanos.getValueAtPercentile(50)), ms(nanos.getValueAtPercentile(95)),
                ms(nanos.getValueAtPercentile(99)), ms(nanos.getMaxValue()));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
