package io.eventfold.benchmarks.topology;

import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares two builds of Eventfold on the topology benchmark in one JVM, round by round: each
 * build is loaded in its own class loader and their rounds alternate, so a machine that slows
 * down or speeds up affects both alike. A change's effect is the median of the per-round ratios.
 * The baseline topology runs in both builds too. Its own code rarely changes, but it uses the
 * serdes of {@code es-kafka}, so its ratio is the noise only when a change leaves them alone.
 *
 * <pre>{@code
 * benchmarks/compare.sh main            # the working tree against the main branch
 * }</pre>
 */
public final class CompareBuilds {

    private CompareBuilds() {
    }

    /**
     * Runs the comparison and prints it.
     *
     * @param args the before build's directory and the after build's directory (each holding
     *     {@code benchmarks.jar} and {@code lib/}), then optionally the number of rounds (default 12),
     *     invoices (default 1000) and commands per invoice (default 20)
     * @throws Exception if a build cannot be loaded or a round fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: CompareBuilds <before-dir> <after-dir> [rounds] [invoices] [commands-per-invoice]");
            System.exit(2);
        }
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        int invoices = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int perInvoice = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        Build before = new Build(new File(args[0]), invoices, perInvoice);
        Build after = new Build(new File(args[1]), invoices, perInvoice);

        for (int warmup = 0; warmup < 2; warmup++) {
            before.round();
            after.round();
        }
        double[] eventfoldRatios = new double[rounds];
        double[] baselineRatios = new double[rounds];
        List<double[]> beforeRates = new ArrayList<>();
        List<double[]> afterRates = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            // Alternate which build goes first, so neither always meets the warmer machine.
            double[] a;
            double[] b;
            if (i % 2 == 0) {
                a = before.round();
                b = after.round();
            } else {
                b = after.round();
                a = before.round();
            }
            beforeRates.add(a);
            afterRates.add(b);
            eventfoldRatios[i] = b[0] / a[0];
            baselineRatios[i] = b[1] / a[1];
            System.out.printf("round %2d: eventfold %,8.0f -> %,8.0f commands/s (x%.3f), baseline %,8.0f -> %,8.0f (x%.3f)%n",
                    i + 1, a[0], b[0], eventfoldRatios[i], a[1], b[1], baselineRatios[i]);
        }
        System.out.printf("%nmedian of %d rounds, %d invoices x %d commands:%n", rounds, invoices, perInvoice);
        System.out.printf("  eventfold: before %,.0f, after %,.0f commands/s; after/before per round: median x%.3f (%.3f-%.3f)%n",
                median(beforeRates, 0), median(afterRates, 0), median(eventfoldRatios), min(eventfoldRatios), max(eventfoldRatios));
        System.out.printf("  baseline (moves with es-kafka's serdes, else only with the noise): median x%.3f (%.3f-%.3f)%n",
                median(baselineRatios), min(baselineRatios), max(baselineRatios));
        System.out.printf("  eventfold/baseline (median of the rounds' ratios): before %.3f, after %.3f%n",
                medianRatio(beforeRates), medianRatio(afterRates));
    }

    /** One build, loaded in a class loader of its own. */
    private static final class Build {

        private final Object benchmark;
        private final Method run;
        private final Method eventfold;
        private final Method baseline;
        private final ClassLoader loader;

        Build(File dir, int invoices, int perInvoice) throws Exception {
            this.loader = new URLClassLoader(urls(dir), ClassLoader.getPlatformClassLoader());
            // Static initializers (the invoice type, logging) look resources up through the context loader.
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                this.benchmark = load(invoices, perInvoice);
            } finally {
                thread.setContextClassLoader(previous);
            }
            Class<?> benchmarkType = benchmark.getClass();
            this.run = benchmarkType.getMethod("run");
            Class<?> resultType = loader.loadClass("io.eventfold.benchmarks.report.TopologyResult");
            this.eventfold = resultType.getMethod("eventfoldCommandsPerSecond");
            this.baseline = resultType.getMethod("baselineCommandsPerSecond");
        }

        private Object load(int invoices, int perInvoice) throws Exception {
            Class<?> workloadType = loader.loadClass("io.eventfold.benchmarks.workload.InvoiceWorkload");
            Object workload = workloadType.getConstructor(String.class, int.class, int.class).newInstance("inv", invoices, perInvoice);
            Class<?> benchmarkType = loader.loadClass(TopologyBenchmark.class.getName());
            Constructor<?> constructor = benchmarkType.getConstructor(workloadType, int.class, int.class);
            return constructor.newInstance(workload, 0, 1);
        }

        /** One round of each topology: Eventfold's and the baseline's commands per second. */
        double[] round() throws Exception {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                Object result = run.invoke(benchmark);
                return new double[] {(double) eventfold.invoke(result), (double) baseline.invoke(result)};
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        private static URL[] urls(File dir) throws MalformedURLException {
            File jar = new File(dir, "benchmarks.jar");
            File[] libs = new File(dir, "lib").listFiles((parent, name) -> name.endsWith(".jar"));
            if (!jar.isFile() || libs == null) {
                throw new IllegalArgumentException(dir + " holds no benchmarks.jar and lib/ directory");
            }
            List<URL> urls = new ArrayList<>();
            urls.add(jar.toURI().toURL());
            for (File lib : libs) {
                urls.add(lib.toURI().toURL());
            }
            return urls.toArray(new URL[0]);
        }
    }

    private static double medianRatio(List<double[]> rates) {
        return median(rates.stream().mapToDouble(rate -> rate[0] / rate[1]).toArray());
    }

    private static double median(List<double[]> rates, int index) {
        return median(rates.stream().mapToDouble(rate -> rate[index]).toArray());
    }

    private static double median(double[] values) {
        return TopologyBenchmark.median(values);
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
