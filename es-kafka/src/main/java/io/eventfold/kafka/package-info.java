/**
 * Eventfold on Kafka Streams: the entry points. Describe each domain object once as an
 * {@link io.eventfold.kafka.AggregateType} (its aggregate, payload classes and
 * {@link io.eventfold.kafka.TopicNames topics}), create its topics with
 * {@link io.eventfold.kafka.TopicLayout} (each topic configured by its
 * {@link io.eventfold.kafka.TopicRole}, its replication held to production needs as the
 * {@link io.eventfold.kafka.ReplicationPolicy} says) and run it with {@link io.eventfold.kafka.EventfoldStreams}
 * and the defaults of {@link io.eventfold.kafka.EventfoldConfig}. Start with
 * {@link io.eventfold.kafka.AggregateType#builder}.
 *
 * <p>The other packages hold one role each: {@link io.eventfold.kafka.json} the JSON payloads
 * and envelopes, {@link io.eventfold.kafka.client} sending commands and reading state,
 * {@link io.eventfold.kafka.projection} read models, {@link io.eventfold.kafka.audit} checking
 * the topics of a running system. {@code io.eventfold.kafka.internal} is not API.
 */
package io.eventfold.kafka;
