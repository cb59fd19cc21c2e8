package io.eventfold.benchmarks.report;

import java.util.List;
import java.util.Map;

/**
 * A sustained run: Eventfold at a fixed rate for minutes, its command-id store and changelogs
 * looked at every ten seconds.
 *
 * @param date the run's date, {@code yyyy-MM-dd}
 * @param startedAt when the run started, ISO-8601
 * @param machine what it ran on
 * @param command the command line that reproduces the run
 * @param guarantee the processing guarantee, {@code exactly_once_v2}
 * @param commitIntervalMs the Kafka Streams commit interval
 * @param partitions partitions of each topic
 * @param minutes how long commands were sent
 * @param targetRate commands per second asked for
 * @param retentionSeconds the aggregate type's command-id retention
 * @param segmentIntervalSeconds the command-id store's time segments: half the retention, at least 60 s
 * @param commandsSent every command sent
 * @param accepted commands answered {@code ACCEPTED}
 * @param failures commands that timed out or failed to send
 * @param achievedRate commands sent over the time until the last result
 * @param latency result latency, from each command's scheduled send time
 * @param commandIdChangelogConfig the command-id changelog topic's {@code cleanup.policy},
 *     {@code retention.ms}, {@code segment.bytes} and {@code segment.ms}
 * @param samples what was seen every ten seconds, and at the end
 * @param verdict what the samples say
 */
public record SustainedResult(String date, String startedAt, Machine machine, String command, String guarantee,
                              long commitIntervalMs, int partitions, int minutes, double targetRate, long retentionSeconds,
                              long segmentIntervalSeconds, long commandsSent, long accepted, long failures,
                              double achievedRate, Latency latency, Map<String, String> commandIdChangelogConfig,
                              List<SustainedSample> samples, SustainedVerdict verdict) {
}
