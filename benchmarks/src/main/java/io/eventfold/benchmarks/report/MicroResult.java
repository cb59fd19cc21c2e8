package io.eventfold.benchmarks.report;

/**
 * One JMH benchmark's score.
 *
 * @param benchmark the benchmark method, e.g. {@code EnvelopeBenchmark.decodeSnapshot}
 * @param score the mean score
 * @param error the 99.9% confidence half-width, {@code NaN} when JMH could not compute one
 * @param unit the score's unit, e.g. {@code ops/us}
 */
public record MicroResult(String benchmark, double score, double error, String unit) {
}
