package io.eventfold.testkit;

import io.eventfold.kafka.AggregateType;
import io.eventfold.core.Aggregate;
import io.eventfold.core.Decision;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The checks made after every command catch aggregates that break the rules. */
class ChecksTest {

    sealed interface Go permits Go.Now {
        record Now() implements Go {
        }
    }

    sealed interface Went permits Went.Counted, Went.Noted {
        record Counted() implements Went {
        }

        /** A free-form value: a Long written to JSON comes back an Integer. */
        record Noted(Object value) implements Went {
        }
    }

    record Total(long value) {
    }

    private static final AtomicLong EVOLUTIONS = new AtomicLong();

    /** evolve reads a global counter: the two runners see different numbers. */
    private static final AggregateType<Go, Went, Total> IMPURE = AggregateType.builder("impure",
                    Aggregate.<Go, Went, Total>of(new Total(0),
                            (command, total) -> Decision.accept(new Went.Counted()),
                            (total, event) -> new Total(EVOLUTIONS.incrementAndGet())))
            .commands(Go.class).events(Went.class).state(Total.class).build();

    private static final AggregateType<Go, Went, Total> LOSSY = AggregateType.builder("lossy",
                    Aggregate.<Go, Went, Total>of(new Total(0),
                            (command, total) -> Decision.accept(new Went.Noted(5L)),
                            (total, event) -> new Total(total.value() + 1)))
            .commands(Go.class).events(Went.class).state(Total.class).build();

    @Test
    void shouldDetectThatTheRunnersDisagree() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> AggregateFixture.of(IMPURE)
                .givenNothing()
                .when(new Go.Now()));

        assertThat(error.getMessage())
                .startsWith("the pure and topology runners disagree [check RUNNERS_AGREE]\n\nScenario\n")
                .containsPattern("First difference \\(expected = pure, actual = topology\\): result\\.state\\.value: expected \\d+ but was \\d+")
                .contains("Probable cause: decide or evolve is not pure")
                .contains("AggregateFixture.withoutChecks(Check.RUNNERS_AGREE)");
    }

    @Test
    void shouldDetectThatTheStateIsNotTheReplayOfItsEvents() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> AggregateFixture.pure(IMPURE.aggregate())
                .givenNothing()
                .when(new Go.Now()));

        assertThat(error.getMessage())
                .startsWith("the pure runner's state is not the replay of its 1 events [check STATE_IS_REPLAY]")
                .containsPattern("First difference \\(expected = replay, actual = state\\): state\\.value: expected \\d+ but was \\d+");
    }

    @Test
    void shouldReportAnEventThatDoesNotSurviveJson() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> AggregateFixture.of(LOSSY)
                .givenNothing()
                .when(new Go.Now()));

        assertThat(error.getMessage())
                .startsWith("the event Noted changes in a JSON round trip [check JSON_ROUND_TRIP]")
                .contains("First difference: event.value: expected 5 (java.lang.Long) but was 5 (java.lang.Integer)")
                .contains("Written:\n  {\"value\":5}");
    }

    @Test
    void shouldFindTheDisagreementBehindALossyEventWhenTheJsonCheckIsOff() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> AggregateFixture.of(LOSSY)
                .withoutChecks(Check.JSON_ROUND_TRIP)
                .givenNothing()
                .when(new Go.Now()));

        assertThat(error.getMessage()).startsWith("the pure and topology runners disagree [check RUNNERS_AGREE]")
                .contains("result.events[0].payload.value: expected 5 (java.lang.Long) but was 5 (java.lang.Integer)");
    }

    @Test
    void shouldRunWithTheChecksSwitchedOff() {
        AggregateFixture<Go, Went, Total> fixture = AggregateFixture.of(LOSSY)
                .withoutChecks(Check.JSON_ROUND_TRIP, Check.RUNNERS_AGREE);

        fixture.givenNothing()
                .when(new Go.Now())
                .thenVersion(1)
                .thenState(new Total(1));
        assertThat(fixture.checks()).containsExactlyInAnyOrder(Check.STATE_IS_REPLAY, Check.TOPOLOGY_OUTPUTS);
    }
}
