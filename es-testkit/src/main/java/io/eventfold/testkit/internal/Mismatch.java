package io.eventfold.testkit.internal;

/**
 * How one runner's outcome missed an expectation.
 *
 * @param expected what was expected, for the IDE diff
 * @param actual what the runner produced, for the IDE diff
 * @param details the explanation shown under the scenario
 */
public record Mismatch(Object expected, Object actual, String details) {
}
