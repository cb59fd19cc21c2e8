/**
 * A single-node Kafka broker inside the example's JVM, for running it with nothing installed:
 * {@link io.eventfold.examples.invoices.broker.EmbeddedBroker}.
 */
package io.eventfold.examples.invoices.broker;
