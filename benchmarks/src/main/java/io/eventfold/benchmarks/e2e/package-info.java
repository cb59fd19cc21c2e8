/**
 * End-to-end load against a broker in its own process: {@link io.eventfold.benchmarks.e2e.EndToEndBenchmark}.
 */
package io.eventfold.benchmarks.e2e;
