/**
 * Eventfold on Kafka Streams.
 */
package io.eventfold.kafka;
