package io.eventfold.benchmarks.report;

import java.util.List;
import java.util.Map;

/**
 * One end-to-end pass: one implementation, one processing guarantee. The Pekko peer's passes
 * ({@code pekko-postgresql}, {@code postgresql-commit}) have no commit interval (0), no replay,
 * and the journal table as their only "topic".
 *
 * @param implementation {@code eventfold}, {@code baseline} or {@code pekko-postgresql}
 * @param guarantee {@code exactly_once_v2} or {@code at_least_once}; {@code postgresql-commit} for the peer
 * @param commitIntervalMs the Kafka Streams commit interval of the pass, 0 for the peer
 * @param commands commands sent at full speed
 * @param maxInFlight the bound on commands awaiting their result
 * @param commandsPerSecond sustained rate of the full-speed run: commands over the time until the last result
 * @param latency result latency of the full-speed run
 * @param halfRateCommands commands of the rate-limited run, 0 when it was not run
 * @param halfRate the rate-limited run's target rate, half of {@code commandsPerSecond}
 * @param halfRateLatency result latency of the rate-limited run, measured from each command's scheduled send time
 * @param failures commands that timed out or failed to send, in both runs
 * @param replay the restore after the state directory was deleted, {@code null} when not measured
 * @param commandsSent every command of the pass: warm-up, full speed and half rate; what the
 *     per-command figures below are divided by
 * @param topicBytes the size on disk of each topic of the pass (its five topics and the
 *     application's changelogs) once the application was stopped, in the order of
 *     {@link #TOPIC_ROLES} and then by role
 * @param restoredPerCommand changelog records restored by the replay per command sent, by store
 *     role ({@code snapshot store}, {@code command-id store}, or the store's name); empty when
 *     the replay was not measured
 * @param restoredRecordsPerCommand all stores' restored records per command sent, {@code NaN}
 *     when the replay was not measured
 */
public record LoadResult(String implementation, String guarantee, long commitIntervalMs, int commands, int maxInFlight,
                         double commandsPerSecond, Latency latency, int halfRateCommands, double halfRate,
                         Latency halfRateLatency, long failures, ReplayResult replay, long commandsSent,
                         List<TopicBytes> topicBytes, Map<String, Double> restoredPerCommand,
                         double restoredRecordsPerCommand) {

    /** The roles of an aggregate type's own topics, in the order the report lists them. */
    public static final List<String> TOPIC_ROLES = List.of("commands", "events", "snapshots", "command results", "dead letters");

    /**
     * The bytes on disk of all topics of the pass, per command sent.
     *
     * @return the sum of {@link TopicBytes#bytesPerCommand()}
     */
    public double totalBytesPerCommand() {
        return topicBytes.stream().mapToDouble(TopicBytes::bytesPerCommand).sum();
    }
}
