package io.eventfold.core.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestTemplate;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Runs a property, an assertion that must hold for every input, against many random inputs:
 *
 * <pre>{@code
 * @Test
 * void replayIsDeterministic() {
 *     PropertyRunner.forAll(histories()).tries(1000).check(events ->
 *             assertThat(aggregate.replay(events)).isEqualTo(aggregate.replay(events)));
 * }
 * }</pre>
 *
 * <p>Each try draws its input from a {@link SplittableRandom} with its own seed; the seeds of a
 * run come from one run seed, new for every run unless set. The first try whose property throws
 * ends the run with an {@link AssertionError} that names the try's seed, the input and the
 * command line that runs exactly that input again, with the original failure as its cause.
 * There is no shrinking: the input is the one that failed.
 *
 * <p>Two system properties, usually given on the Maven command line, which passes them on to
 * the tests:
 * <ul>
 *   <li>{@value #SEED_PROPERTY}: run one try only, with this seed (the seed of a failure), for
 *       every property of the JVM, so select the test with {@code -Dtest=Class#method} too.
 *       Coverage requirements are not checked then: one try cannot meet them;</li>
 *   <li>{@value #RUN_SEED_PROPERTY}: run every try, seeded from this run seed (the seed a
 *       coverage failure names).</li>
 * </ul>
 *
 * <p>A property that depends on its inputs reaching interesting cases records them with
 * {@link Coverage#collect} and requires their share after the run, so it cannot pass vacuously:
 *
 * <pre>{@code
 * PropertyRunner.forAll(commandSequences()).tries(300)
 *         .checkWithCoverage((commands, coverage) -> {
 *             ...
 *             coverage.collect(finalStatus);
 *         })
 *         .requireAtLeast(InvoiceStatus.PAID, 1.0);
 * }</pre>
 *
 * @param <T> the type of the inputs
 */
public final class PropertyRunner<T> {

    /** The system property that runs a single try with the given seed. */
    public static final String SEED_PROPERTY = "eventfold.seed";

    /** The system property that runs all tries from the given run seed. */
    public static final String RUN_SEED_PROPERTY = "eventfold.runSeed";

    /** The number of tries unless set with {@link #tries}. */
    public static final int DEFAULT_TRIES = 1000;

    private static final int SUMMARY_LINES = 6;

    private final Gen<T> generator;
    private final int tries;
    private final Long seed;
    private final Long runSeed;

    private PropertyRunner(Gen<T> generator, int tries, Long seed, Long runSeed) {
        this.generator = generator;
        this.tries = tries;
        this.seed = seed;
        this.runSeed = runSeed;
    }

    /**
     * A runner of {@value #DEFAULT_TRIES} tries with inputs from this generator; the system
     * properties {@value #SEED_PROPERTY} and {@value #RUN_SEED_PROPERTY} apply.
     *
     * @param generator the generator of inputs
     * @param <T> the type of the inputs
     * @return the runner
     */
    public static <T> PropertyRunner<T> forAll(Gen<T> generator) {
        Objects.requireNonNull(generator, "generator");
        return new PropertyRunner<>(generator, DEFAULT_TRIES,
                longProperty(SEED_PROPERTY), longProperty(RUN_SEED_PROPERTY));
    }

    /**
     * Sets the number of tries.
     *
     * @param count the number of tries, {@code >= 1}
     * @return a runner with that many tries
     */
    public PropertyRunner<T> tries(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("tries must be >= 1: " + count);
        }
        return new PropertyRunner<>(generator, count, seed, runSeed);
    }

    /**
     * Runs one try only, with this seed, as {@value #SEED_PROPERTY} does.
     *
     * @param trySeed the seed of the try
     * @return a runner of that try
     */
    public PropertyRunner<T> seed(long trySeed) {
        return new PropertyRunner<>(generator, tries, trySeed, runSeed);
    }

    /**
     * Seeds the tries from this run seed, as {@value #RUN_SEED_PROPERTY} does.
     *
     * @param seedOfRun the run seed
     * @return a runner with that run seed
     */
    public PropertyRunner<T> runSeed(long seedOfRun) {
        return new PropertyRunner<>(generator, tries, seed, seedOfRun);
    }

    /**
     * Checks the property against every try's input.
     *
     * @param property assertions on one input; throws when they do not hold
     * @return the coverage of the run, here empty
     * @throws AssertionError naming the seed and the input of the first try that failed
     */
    public Coverage check(Consumer<? super T> property) {
        Objects.requireNonNull(property, "property");
        return checkWithCoverage((input, coverage) -> property.accept(input));
    }

    /**
     * Checks the property against every try's input, collecting the coverage it records.
     *
     * @param property assertions on one input, which may record what the input covered
     * @return the coverage of the run, to require shares of it
     * @throws AssertionError naming the seed and the input of the first try that failed
     */
    public Coverage checkWithCoverage(BiConsumer<? super T, Coverage> property) {
        Objects.requireNonNull(property, "property");
        String rerun = rerunArguments();
        long seedOfRun = runSeed != null ? runSeed : new SplittableRandom().nextLong();
        Coverage coverage = new Coverage(seedOfRun, seed == null ? tries : 1, seed == null, rerun);
        if (seed != null) {
            runTry(property, coverage, seed, "the single try of the given seed", rerun);
            return coverage;
        }
        SplittableRandom seeds = new SplittableRandom(seedOfRun);
        for (int i = 1; i <= tries; i++) {
            runTry(property, coverage, seeds.nextLong(), "try " + i + " of " + tries + " (run seed " + seedOfRun + ")", rerun);
        }
        return coverage;
    }

    private void runTry(BiConsumer<? super T, Coverage> property, Coverage coverage, long trySeed, String which, String rerun) {
        T input;
        try {
            input = generator.next(new SplittableRandom(trySeed));
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError("Generating the input failed on " + which + "\n"
                    + "  seed:  " + trySeed + "\n"
                    + "  rerun: " + rerun + " -D" + SEED_PROPERTY + "=" + trySeed, e);
        }
        try {
            property.accept(input, coverage);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError("Property failed on " + which + "\n"
                    + "  seed:  " + trySeed + "\n"
                    + "  input: " + input + "\n"
                    + "  rerun: " + rerun + " -D" + SEED_PROPERTY + "=" + trySeed + "\n"
                    + "  failure: " + summary(e), e);
        }
    }

    /** The failure's type and the start of its message; the whole failure is the cause. */
    private static String summary(Throwable failure) {
        List<String> lines = String.valueOf(failure).lines().filter(line -> !line.isBlank()).toList();
        int shown = Math.min(lines.size(), SUMMARY_LINES);
        String summary = String.join("\n    ", lines.subList(0, shown));
        return shown < lines.size() ? summary + "\n    … (the whole failure is the cause below)" : summary;
    }

    /** Selects the test that called the runner, as surefire's {@code -Dtest} does. */
    private static String rerunArguments() {
        Optional<StackWalker.StackFrame> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.filter(PropertyRunner::isTestMethod).findFirst());
        return caller.map(frame -> {
            Class<?> test = frame.getDeclaringClass();
            String name = test.getName().substring(test.getPackageName().isEmpty() ? 0 : test.getPackageName().length() + 1);
            return "-Dtest=" + name + "#" + frame.getMethodName();
        }).orElse("");
    }

    private static boolean isTestMethod(StackWalker.StackFrame frame) {
        for (Method method : frame.getDeclaringClass().getDeclaredMethods()) {
            if (method.getName().equals(frame.getMethodName())
                    && Arrays.stream(method.getAnnotations()).anyMatch(PropertyRunner::marksATest)) {
                return true;
            }
        }
        return false;
    }

    private static boolean marksATest(Annotation annotation) {
        Class<? extends Annotation> type = annotation.annotationType();
        return type == Test.class || type == TestFactory.class || type == TestTemplate.class
                || type.isAnnotationPresent(Test.class) || type.isAnnotationPresent(TestTemplate.class);
    }

    private static Long longProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + " must be a long: " + value, e);
        }
    }
}
