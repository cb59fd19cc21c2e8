/**
 * The meters of the command topology, process managers, gateways and projection runners: one
 * no-op interface per part, and its Micrometer implementation, created only when the application
 * gave a {@code MeterRegistry}. Not API: no other module may use it.
 */
package io.eventfold.kafka.internal.metrics;
