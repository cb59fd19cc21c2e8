package io.eventfold.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * A generator of random test inputs: a function of a random source, so the same seed always
 * gives the same value. {@link PropertyRunner} feeds each try its own seeded source.
 *
 * <pre>{@code
 * Gen<AccountCommand> deposit = Gen.longs(1, 100).map(Deposit::new);
 * Gen<List<AccountCommand>> commands = Gen.frequency(
 *         Gen.weighted(3, deposit),
 *         Gen.weighted(1, Gen.constant(new Close()))).list(0, 30);
 * }</pre>
 *
 * <p>Numbers and list sizes pick their bounds more often than a uniform draw would (one try in
 * ten each), so edge cases such as an empty list come up in every run.
 *
 * @param <T> the type of the generated values
 */
@FunctionalInterface
public interface Gen<T> {

    /**
     * Draws one value. Must use no other source of randomness than {@code random}.
     *
     * @param random the source, seeded by the runner
     * @return the value
     */
    T next(RandomGenerator random);

    /**
     * Transforms every generated value.
     *
     * @param mapper the transformation
     * @param <R> the type of the transformed values
     * @return a generator of the transformed values
     */
    default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
        Objects.requireNonNull(mapper, "mapper");
        return random -> mapper.apply(next(random));
    }

    /**
     * Lists of this generator's values.
     *
     * @param minSize the least size, {@code >= 0}
     * @param maxSize the greatest size, {@code >= minSize}
     * @return a generator of immutable lists
     */
    default Gen<List<T>> list(int minSize, int maxSize) {
        if (minSize < 0) {
            throw new IllegalArgumentException("minSize must be >= 0: " + minSize);
        }
        Gen<Integer> sizes = ints(minSize, maxSize);
        return random -> {
            int size = sizes.next(random);
            List<T> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(next(random));
            }
            return List.copyOf(values);
        };
    }

    /**
     * Always the same value.
     *
     * @param value the value
     * @param <T> its type
     * @return the generator
     */
    static <T> Gen<T> constant(T value) {
        return random -> value;
    }

    /**
     * One of the given values, each as likely as the others.
     *
     * @param values the values, at least one
     * @param <T> their type
     * @return the generator
     */
    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        List<T> choices = List.of(values);
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("no values to choose from");
        }
        return random -> choices.get(random.nextInt(choices.size()));
    }

    /**
     * Integers from {@code min} to {@code max}, both included; each bound one try in ten.
     *
     * @param min the least value
     * @param max the greatest value, {@code >= min}
     * @return the generator
     */
    static Gen<Integer> ints(int min, int max) {
        return longs(min, max).map(Long::intValue);
    }

    /**
     * Longs from {@code min} to {@code max}, both included; each bound one try in ten.
     *
     * @param min the least value
     * @param max the greatest value, {@code >= min}, and {@code max - min < Long.MAX_VALUE}
     * @return the generator
     */
    static Gen<Long> longs(long min, long max) {
        if (max < min) {
            throw new IllegalArgumentException("max " + max + " < min " + min);
        }
        return random -> {
            int edge = random.nextInt(10);
            if (edge == 0) {
                return min;
            }
            if (edge == 1) {
                return max;
            }
            return min + random.nextLong(max - min + 1);
        };
    }

    /**
     * Strings of ASCII letters, upper and lower case.
     *
     * @param length the length of every string
     * @return the generator
     */
    static Gen<String> alpha(int length) {
        return chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", length);
    }

    /**
     * Strings of decimal digits.
     *
     * @param length the length of every string
     * @return the generator
     */
    static Gen<String> numeric(int length) {
        return chars("0123456789", length);
    }

    private static Gen<String> chars(String alphabet, int length) {
        return random -> {
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return text.toString();
        };
    }

    /**
     * A value of one of the given generators, each chosen as often as the others.
     *
     * @param generators the generators, at least one
     * @param <T> the type of their values
     * @return the generator
     */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... generators) {
        List<Gen<? extends T>> choices = List.of(generators);
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("no generators to choose from");
        }
        return random -> choices.get(random.nextInt(choices.size())).next(random);
    }

    /**
     * A value of one of the given generators, each chosen in proportion to its weight.
     *
     * @param choices the weighted generators, at least one
     * @param <T> the type of their values
     * @return the generator
     */
    @SafeVarargs
    static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
        List<Weighted<? extends T>> weighted = List.of(choices);
        int total = weighted.stream().mapToInt(Weighted::weight).sum();
        if (total <= 0) {
            throw new IllegalArgumentException("no generators to choose from");
        }
        return random -> {
            int pick = random.nextInt(total);
            for (Weighted<? extends T> choice : weighted) {
                pick -= choice.weight();
                if (pick < 0) {
                    return choice.generator().next(random);
                }
            }
            throw new AssertionError("unreachable");
        };
    }

    /**
     * A generator with its weight, for {@link #frequency}.
     *
     * @param weight how often it is chosen relative to the others, {@code >= 0}
     * @param generator the generator
     * @param <T> the type of its values
     * @return the weighted generator
     */
    static <T> Weighted<T> weighted(int weight, Gen<T> generator) {
        return new Weighted<>(weight, generator);
    }

    /**
     * A generator with its weight, for {@link #frequency}.
     *
     * @param weight how often it is chosen relative to the others, {@code >= 0}
     * @param generator the generator
     * @param <T> the type of its values
     */
    record Weighted<T>(int weight, Gen<T> generator) {

        /** Validates the components. */
        public Weighted {
            if (weight < 0) {
                throw new IllegalArgumentException("weight must be >= 0: " + weight);
            }
            Objects.requireNonNull(generator, "generator");
        }
    }
}
