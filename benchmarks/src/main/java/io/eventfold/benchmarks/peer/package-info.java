/**
 * The peer of the end-to-end benchmark: the same invoice workload on Apache Pekko Persistence
 * (typed {@code EventSourcedBehavior}) with its JDBC journal on PostgreSQL,
 * {@link io.eventfold.benchmarks.peer.PekkoPeerBenchmark}.
 */
package io.eventfold.benchmarks.peer;
