/**
 * Benchmarks of Eventfold against a hand-written Kafka Streams baseline; {@link io.eventfold.benchmarks.BenchmarkMain} runs them all.
 */
package io.eventfold.benchmarks;
