/**
 * Given-when-then tests of Eventfold aggregates; the entry point is {@link io.eventfold.testkit.AggregateFixture}.
 */
package io.eventfold.testkit;
