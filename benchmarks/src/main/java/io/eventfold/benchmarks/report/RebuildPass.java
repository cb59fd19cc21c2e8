package io.eventfold.benchmarks.report;

/**
 * One start of the invoice topology on an events topic it has no snapshots of: the rebuild of
 * every partition, then a restart that finds them current.
 *
 * @param streamThreads {@code num.stream.threads}
 * @param secondsToCurrent from {@code EventfoldStreams.start} until every partition reported CURRENT
 * @param eventsPerSecond events replayed over that time
 * @param slowestPartitionSeconds the longest one partition took, from its first to its last phase
 * @param offsetsRead events-topic offsets the partitions replayed, summed
 * @param aggregatesRebuilt snapshots the partitions rebuilt and published, summed
 * @param firstCommandMs how long the first command after the rebuild took to be answered
 * @param restartSecondsToAnswer after a restart on the same state directory, from start until a command was answered
 * @param replayingPhasesOnRestart REPLAYING phases reported during that restart: 0 when the rebuild is not repeated
 * @param ratioToBaseline {@code secondsToCurrent} over the baseline's fold of the same events
 */
public record RebuildPass(int streamThreads, double secondsToCurrent, double eventsPerSecond, double slowestPartitionSeconds,
                          long offsetsRead, long aggregatesRebuilt, double firstCommandMs, double restartSecondsToAnswer,
                          long replayingPhasesOnRestart, double ratioToBaseline) {
}
