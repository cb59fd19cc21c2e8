/**
 * JSON on the wire: {@link io.eventfold.kafka.json.JsonCodec} turns payloads (commands, events,
 * state) into JSON and back by their type name, and {@link io.eventfold.kafka.json.EnvelopeSerdes}
 * gives the Kafka serdes of the four envelopes, for tools and clients that read or write an
 * aggregate type's topics directly. Start with {@code aggregateType.serdes()}.
 * {@link io.eventfold.kafka.json.Upcasters} turn stored command and event payloads
 * ({@link io.eventfold.kafka.json.StoredPayload}) into what the code reads today.
 */
package io.eventfold.kafka.json;
