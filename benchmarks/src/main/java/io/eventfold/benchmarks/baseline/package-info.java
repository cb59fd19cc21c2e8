/**
 * The baseline: what a hand-written Kafka Streams processor for invoices costs; {@link io.eventfold.benchmarks.baseline.BaselineTopology} builds it.
 */
package io.eventfold.benchmarks.baseline;
