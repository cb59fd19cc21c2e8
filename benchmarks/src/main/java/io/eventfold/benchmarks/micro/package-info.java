/**
 * JMH benchmarks of the command engine and the JSON envelopes; {@link io.eventfold.benchmarks.micro.MicroBenchmarks} runs them.
 */
package io.eventfold.benchmarks.micro;
