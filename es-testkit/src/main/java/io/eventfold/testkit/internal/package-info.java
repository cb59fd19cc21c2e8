/**
 * Implementation of the test kit: runners, message rendering, diffs, the topology on a broker. Not public API.
 * The entry points for users are {@link io.eventfold.testkit.AggregateFixture} and {@link io.eventfold.testkit.EventfoldKafka}.
 */
package io.eventfold.testkit.internal;
