package io.eventfold.core.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PropertyRunnerTest {

    private static final Gen<List<Integer>> LISTS = Gen.ints(0, 1000).list(0, 10);
    private static final Pattern SEED = Pattern.compile("seed: +(-?\\d+)");

    private String savedSeed;
    private String savedRunSeed;

    @BeforeEach
    void clearSeedProperties() {
        // A -Deventfold.seed given to rerun some other property must not change these tests.
        savedSeed = System.clearProperty(PropertyRunner.SEED_PROPERTY);
        savedRunSeed = System.clearProperty(PropertyRunner.RUN_SEED_PROPERTY);
    }

    @AfterEach
    void restoreSeedProperties() {
        restore(PropertyRunner.SEED_PROPERTY, savedSeed);
        restore(PropertyRunner.RUN_SEED_PROPERTY, savedRunSeed);
    }

    @Test
    void aPassingPropertyRunsEveryTry() {
        List<List<Integer>> inputs = new ArrayList<>();

        PropertyRunner.forAll(LISTS).tries(250).check(inputs::add);

        assertThat(inputs).hasSize(250);
        assertThat(PropertyRunner.forAll(LISTS).check(input -> { }).total()).isZero();
        List<List<Integer>> defaults = new ArrayList<>();
        PropertyRunner.forAll(LISTS).check(defaults::add);
        assertThat(defaults).hasSize(PropertyRunner.DEFAULT_TRIES);
    }

    @Test
    void aFailingPropertyReportsTheSeedAndTheInputOfTheFailingTry() {
        List<List<Integer>> seen = new ArrayList<>();

        AssertionError failure = catchThrowableOfType(AssertionError.class, () -> PropertyRunner.forAll(LISTS).check(input -> {
            seen.add(input);
            assertThat(input).allMatch(value -> value < 900);
        }));

        List<Integer> counterexample = seen.get(seen.size() - 1);
        long seed = seedOf(failure);
        assertThat(failure.getMessage())
                .startsWith("Property failed on try " + seen.size() + " of 1000 (run seed ")
                .contains("input: " + counterexample)
                .contains("-Dtest=PropertyRunnerTest#aFailingPropertyReportsTheSeedAndTheInputOfTheFailingTry -Deventfold.seed=" + seed);
        assertThat(failure.getCause()).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage()).contains("failure: java.lang.AssertionError", "Expecting all elements of:");
        // The seed alone determines the input.
        assertThat(LISTS.next(new SplittableRandom(seed))).isEqualTo(counterexample);
    }

    @Test
    void theSeedOfAFailureRerunsExactlyThatInput() {
        List<List<Integer>> seen = new ArrayList<>();
        AssertionError failure = catchThrowableOfType(AssertionError.class, () -> PropertyRunner.forAll(LISTS).check(input -> {
            seen.add(input);
            assertThat(input).allMatch(value -> value < 900);
        }));
        List<Integer> counterexample = seen.get(seen.size() - 1);
        long seed = seedOf(failure);

        List<List<Integer>> rerun = new ArrayList<>();
        assertThatThrownBy(() -> PropertyRunner.forAll(LISTS).seed(seed).check(input -> {
            rerun.add(input);
            assertThat(input).allMatch(value -> value < 900);
        })).hasMessageStartingWith("Property failed on the single try of the given seed\n  seed:  " + seed + "\n  input: " + counterexample + "\n");
        assertThat(rerun).containsExactly(counterexample);

        // The same through the system property, as -Deventfold.seed=<seed> on the command line.
        System.setProperty(PropertyRunner.SEED_PROPERTY, Long.toString(seed));
        List<List<Integer>> fromProperty = new ArrayList<>();
        PropertyRunner.forAll(LISTS).tries(500).check(fromProperty::add);
        assertThat(fromProperty).containsExactly(counterexample);
    }

    @Test
    void theRunSeedDeterminesEveryInputOfTheRun() {
        List<List<Integer>> first = new ArrayList<>();
        List<List<Integer>> second = new ArrayList<>();
        List<List<Integer>> other = new ArrayList<>();

        PropertyRunner.forAll(LISTS).tries(100).runSeed(42).check(first::add);
        PropertyRunner.forAll(LISTS).tries(100).runSeed(42).check(second::add);
        PropertyRunner.forAll(LISTS).tries(100).runSeed(43).check(other::add);
        System.setProperty(PropertyRunner.RUN_SEED_PROPERTY, "42");
        List<List<Integer>> fromProperty = new ArrayList<>();
        PropertyRunner.forAll(LISTS).tries(100).check(fromProperty::add);

        assertThat(second).isEqualTo(first);
        assertThat(fromProperty).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void withoutASeedEveryRunDrawsNewInputs() {
        List<List<Integer>> first = new ArrayList<>();
        List<List<Integer>> second = new ArrayList<>();

        PropertyRunner.forAll(LISTS).tries(50).check(first::add);
        PropertyRunner.forAll(LISTS).tries(50).check(second::add);

        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void aFailingGeneratorReportsItsSeed() {
        Gen<Integer> broken = random -> {
            throw new IllegalStateException("no value");
        };

        assertThatThrownBy(() -> PropertyRunner.forAll(broken).check(input -> { }))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Generating the input failed on try 1 of 1000")
                .hasMessageContaining("-Deventfold.seed=")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void coverageRequiresSharesOfTheCollectedValues() {
        Coverage coverage = PropertyRunner.forAll(Gen.ints(1, 100)).tries(400).runSeed(7)
                .checkWithCoverage((value, collected) -> collected.collect(value <= 10 ? "small" : "large"));

        assertThat(coverage.total()).isEqualTo(400);
        assertThat(coverage.count("small") + coverage.count("large")).isEqualTo(400);
        coverage.requireAtLeast("small", 5).requireAtLeast("large", 50);
        assertThatThrownBy(() -> coverage.requireAtLeast("small", 60))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Coverage of small is ")
                .hasMessageContaining("collected values in 400 tries), expected at least 60.0%")
                .hasMessageContaining("-Deventfold.runSeed=7");
        assertThatThrownBy(() -> coverage.requireAtLeast("never", 0.1))
                .hasMessageStartingWith("Coverage of never is 0.00% (0 of 400");
    }

    @Test
    void coverageIsNotRequiredWhenASingleSeedIsRerun() {
        Coverage coverage = PropertyRunner.forAll(Gen.ints(1, 100)).seed(1)
                .checkWithCoverage((value, collected) -> collected.collect("anything"));

        assertThat(coverage.total()).isOne();
        coverage.requireAtLeast("something else", 50);
    }

    @Test
    void numbersAndListSizesStayWithinTheirBoundsAndReachThem() {
        SplittableRandom random = new SplittableRandom(1);
        List<Long> longs = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Gen<Long> numbers = Gen.longs(-2, 50);
        Gen<List<String>> lists = Gen.alpha(3).list(1, 25);
        for (int i = 0; i < 1000; i++) {
            longs.add(numbers.next(random));
            List<String> list = lists.next(random);
            sizes.add(list.size());
            assertThat(list).allMatch(text -> text.matches("[A-Za-z]{3}"));
        }

        assertThat(longs).allMatch(value -> value >= -2 && value <= 50).contains(-2L, 50L, 0L);
        assertThat(sizes).allMatch(size -> size >= 1 && size <= 25).contains(1, 25);
        assertThat(Gen.numeric(8).next(random)).matches("\\d{8}");
    }

    @Test
    void frequencyChoosesInProportionToTheWeights() {
        Gen<String> weighted = Gen.frequency(Gen.weighted(3, Gen.constant("a")), Gen.weighted(1, Gen.constant("b")),
                Gen.weighted(0, Gen.constant("never")));
        SplittableRandom random = new SplittableRandom(3);
        int a = 0;
        for (int i = 0; i < 4000; i++) {
            String value = weighted.next(random);
            assertThat(value).isNotEqualTo("never");
            a += value.equals("a") ? 1 : 0;
        }

        assertThat(a).isBetween(2800, 3200);
    }

    private static long seedOf(AssertionError failure) {
        assertThat(failure).isNotNull();
        Matcher seed = SEED.matcher(failure.getMessage());
        assertThat(seed.find()).as("a seed in: %s", failure.getMessage()).isTrue();
        return Long.parseLong(seed.group(1));
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
