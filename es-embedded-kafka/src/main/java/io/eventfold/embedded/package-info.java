/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one node) for tests,
 * demos and benchmarks, without Docker or an installation: inside the JVM, or as a process of
 * its own to kill. Start with {@link io.eventfold.embedded.EmbeddedKafka} for a broker in this
 * JVM, {@link io.eventfold.embedded.EmbeddedKafkaExtension} for the broker of a JUnit 5 test
 * class, and {@link io.eventfold.embedded.EmbeddedKafkaMain} for a broker in a child process.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();
 * }</pre>
 */
package io.eventfold.embedded;
