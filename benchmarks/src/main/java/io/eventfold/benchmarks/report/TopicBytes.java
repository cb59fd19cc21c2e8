package io.eventfold.benchmarks.report;

/**
 * What one topic of a pass holds on the broker's disk after the pass.
 *
 * @param role what the topic is for: {@code commands}, {@code events}, {@code snapshots},
 *     {@code command results}, {@code dead letters}, {@code snapshot store changelog},
 *     {@code command-id store changelog}, or {@code <store> changelog} for any other store
 * @param topic the topic's name
 * @param bytes the size of its log on disk, every partition's replicas summed
 * @param bytesPerCommand {@code bytes} over every command the pass sent
 */
public record TopicBytes(String role, String topic, long bytes, double bytesPerCommand) {
}
