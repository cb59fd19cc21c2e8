package io.eventfold.benchmarks.report;

/**
 * One end-to-end pass against the broker: one implementation, one processing guarantee.
 *
 * @param implementation {@code eventfold} or {@code baseline}
 * @param guarantee {@code exactly_once_v2} or {@code at_least_once}
 * @param commitIntervalMs the Kafka Streams commit interval of the pass
 * @param commands commands sent at full speed
 * @param maxInFlight the bound on commands awaiting their result
 * @param commandsPerSecond sustained rate of the full-speed run: commands over the time until the last result
 * @param latency result latency of the full-speed run
 * @param halfRateCommands commands of the rate-limited run, 0 when it was not run
 * @param halfRate the rate-limited run's target rate, half of {@code commandsPerSecond}
 * @param halfRateLatency result latency of the rate-limited run, measured from each command's scheduled send time
 * @param failures commands that timed out or failed to send, in both runs
 * @param replay the restore after the state directory was deleted, {@code null} when not measured
 */
public record LoadResult(String implementation, String guarantee, long commitIntervalMs, int commands, int maxInFlight,
                         double commandsPerSecond, Latency latency, int halfRateCommands, double halfRate,
                         Latency halfRateLatency, long failures, ReplayResult replay) {
}
