/**
 * Talking to a running command topology: {@link io.eventfold.kafka.client.CommandGateway} sends a
 * command and completes a future with its one result; {@link io.eventfold.kafka.client.AggregateStore}
 * reads an aggregate's current state and a command's remembered result from the topology's
 * stores, on whichever instance hosts the aggregate when it is given a
 * {@link io.eventfold.kafka.client.StoreTransport} ({@link io.eventfold.kafka.client.HttpStoreTransport}
 * by default). Start with {@code CommandGateway.builder(type, bootstrapServers)}.
 */
package io.eventfold.kafka.client;
