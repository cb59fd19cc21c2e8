/**
 * Implementation of Eventfold on Kafka Streams: not public API, may change in any release.
 * The entry point for users is {@link io.eventfold.kafka.EventSourcedTopology}.
 */
package io.eventfold.kafka.internal;
