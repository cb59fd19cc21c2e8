package io.eventfold.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Checks one expectation on the outcome of every runner and, when a runner misses it, fails
 * with the message every fixture gives: the expectation and the runners that missed it
 * ({@code [pure ✔ | topology ✘]}), the scenario, the difference and the probable cause.
 *
 * @param <O> a runner's outcome of one step
 */
public final class Verdicts<O> {

    private final List<O> outcomes;
    private final Function<O, String> runnerOf;
    private final String story;

    /**
     * @param outcomes each runner's outcome, the pure runner's first
     * @param runnerOf the runner's name in an outcome
     * @param story the scenario as {@link ScenarioLog} renders it
     */
    public Verdicts(List<O> outcomes, Function<O, String> runnerOf, String story) {
        this.outcomes = outcomes;
        this.runnerOf = runnerOf;
        this.story = story;
    }

    /**
     * Fails unless {@code check} finds no mismatch in any outcome.
     *
     * @param probableCause what likely went wrong in an outcome that missed, or "" (each line ends with a newline)
     */
    public void expect(String title, Function<O, Optional<Mismatch>> check, Function<O, String> probableCause) {
        List<String> verdicts = new ArrayList<>();
        List<O> failedOutcomes = new ArrayList<>();
        List<Mismatch> mismatches = new ArrayList<>();
        for (O outcome : outcomes) {
            Optional<Mismatch> mismatch = check.apply(outcome);
            verdicts.add(runnerOf.apply(outcome) + (mismatch.isPresent() ? " ✘" : " ✔"));
            mismatch.ifPresent(m -> {
                failedOutcomes.add(outcome);
                mismatches.add(m);
            });
        }
        if (mismatches.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder(title).append(' ').append(markers(verdicts)).append("\n\n").append(story).append('\n');
        message.append(mismatches.get(0).details());
        for (int i = 1; i < mismatches.size(); i++) {
            if (!Objects.equals(mismatches.get(i).actual(), mismatches.get(0).actual())) {
                message.append('\n').append(mismatches.get(i).details());
            }
        }
        message.append(probableCause.apply(failedOutcomes.get(0)));
        throw Failures.failure(message.toString(), mismatches.get(0).expected(), mismatches.get(0).actual());
    }

    /** Fails when {@code requirements} throw an assertion error for an outcome, keeping its expected and actual values. */
    public void satisfy(String title, Consumer<O> requirements, Function<O, String> probableCause) {
        List<String> verdicts = new ArrayList<>();
        AssertionError first = null;
        O failed = null;
        for (O outcome : outcomes) {
            try {
                requirements.accept(outcome);
                verdicts.add(runnerOf.apply(outcome) + " ✔");
            } catch (AssertionError | ClassCastException e) {
                verdicts.add(runnerOf.apply(outcome) + " ✘");
                if (first == null) {
                    first = e instanceof AssertionError assertion ? assertion : new AssertionError(e.toString(), e);
                    failed = outcome;
                }
            }
        }
        if (first != null) {
            String message = title + " " + markers(verdicts) + "\n\n" + story + "\n" + runnerOf.apply(failed) + " runner: "
                    + String.valueOf(first.getMessage()).strip() + "\n" + probableCause.apply(failed);
            AssertionError error = first instanceof org.opentest4j.AssertionFailedError original && original.isExpectedDefined()
                    ? Failures.failure(message, original.getExpected().getValue(), original.getActual().getValue())
                    : Failures.failure(message);
            error.initCause(first);
            throw error;
        }
    }

    private static String markers(List<String> verdicts) {
        return "[" + String.join(" | ", verdicts) + "]";
    }
}
