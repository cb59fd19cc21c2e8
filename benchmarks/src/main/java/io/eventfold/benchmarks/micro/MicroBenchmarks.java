package io.eventfold.benchmarks.micro;

import io.eventfold.benchmarks.report.MicroResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Runs the JMH benchmarks of this package in one forked JVM, with iteration counts chosen by the
 * caller so that the whole suite fits the run's time budget.
 *
 * <pre>{@code
 * List<MicroResult> scores = new MicroBenchmarks(2, 3, TimeValue.seconds(1)).run();
 * }</pre>
 */
public final class MicroBenchmarks {

    private final int warmupIterations;
    private final int iterations;
    private final TimeValue iterationTime;

    /**
     * Configures the suite.
     *
     * @param warmupIterations warm-up iterations per benchmark
     * @param iterations measured iterations per benchmark
     * @param iterationTime the length of every iteration
     */
    public MicroBenchmarks(int warmupIterations, int iterations, TimeValue iterationTime) {
        this.warmupIterations = warmupIterations;
        this.iterations = iterations;
        this.iterationTime = iterationTime;
    }

    /**
     * Runs every benchmark of this package.
     *
     * @return one score per benchmark method
     * @throws RunnerException if JMH cannot run them
     */
    public List<MicroResult> run() throws RunnerException {
        Options options = new OptionsBuilder()
                .include(MicroBenchmarks.class.getPackageName().replace(".", "\\.") + "\\..*Benchmark")
                .forks(1)
                .warmupIterations(warmupIterations)
                .warmupTime(iterationTime)
                .measurementIterations(iterations)
                .measurementTime(iterationTime)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        List<MicroResult> scores = new ArrayList<>();
        for (RunResult result : results) {
            var primary = result.getPrimaryResult();
            String label = result.getParams().getBenchmark();
            String name = label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1);
            scores.add(new MicroResult(name, primary.getScore(), primary.getScoreError(), primary.getScoreUnit()));
        }
        scores.sort((a, b) -> a.benchmark().compareTo(b.benchmark()));
        return scores;
    }
}
