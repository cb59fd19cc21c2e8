/**
 * Implementation of the test kit: runners, message rendering, diffs. Not public API.
 * The entry point for users is {@link io.eventfold.testkit.AggregateFixture}.
 */
package io.eventfold.testkit.internal;
