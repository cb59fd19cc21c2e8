package io.eventfold.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class AggregateTest {

    private final Aggregate<Integer, Integer, Integer> counter = Aggregate.of(
            0,
            (amount, count) -> count + amount > 10 ? Decision.reject("LIMIT_EXCEEDED", "max 10") : Decision.accept(amount),
            (count, amount) -> count + amount);

    @Test
    void shouldBuildAnAggregateFromFunctions() {
        assertThat(counter.initialState()).isZero();
        assertThat(counter.decide(4, 7)).isEqualTo(Decision.reject("LIMIT_EXCEEDED", "max 10"));
        assertThat(counter.decide(3, 7)).isEqualTo(Decision.accept(3));
        assertThat(counter.evolve(7, 3)).isEqualTo(10);
    }

    @Test
    void shouldFoldAndReplayEventsInOrder() {
        Aggregate<String, String, String> concatenation = Aggregate.of("", (c, s) -> Decision.accept(c), String::concat);

        assertThat(concatenation.replay(List.of("a", "b", "c"))).isEqualTo("abc");
        assertThat(concatenation.fold("x", List.of("y", "z"))).isEqualTo("xyz");
        assertThat(concatenation.replay(List.of())).isEmpty();
        assertThat(counter.replay(List.of(2, 3))).isEqualTo(5);
    }

    @Test
    void shouldRefuseMissingFunctions() {
        assertThatNullPointerException().isThrownBy(() -> Aggregate.of(null, (c, s) -> Decision.accept(), (s, e) -> s))
                .withMessage("initialState must not be null");
        assertThatNullPointerException().isThrownBy(() -> Aggregate.<String, String, String>of("", null, (s, e) -> s))
                .withMessage("decide must not be null");
        assertThatNullPointerException().isThrownBy(() -> Aggregate.<String, String, String>of("", (c, s) -> Decision.accept(), null))
                .withMessage("evolve must not be null");
    }
}
