/**
 * Tests of Eventfold aggregates: given-when-then scenarios with {@link io.eventfold.testkit.AggregateFixture},
 * and integration tests on a real broker with {@link io.eventfold.testkit.EventfoldKafka}
 * (which needs {@code io.eventfold:es-embedded-kafka} on the test class path).
 */
package io.eventfold.testkit;
