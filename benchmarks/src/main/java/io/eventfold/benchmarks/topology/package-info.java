/**
 * CPU cost of the topology without a broker: {@link io.eventfold.benchmarks.topology.TopologyBenchmark}.
 */
package io.eventfold.benchmarks.topology;
