package io.eventfold.benchmarks.report;

/**
 * One look at the sustained run's application, taken every ten seconds.
 *
 * @param elapsedSeconds since the first command was due
 * @param commandsSent commands handed to the gateway so far
 * @param commandsAnswered commands whose result has come back so far
 * @param storeEntries entries the command-id store answers for: every task's
 *     {@code ReadOnlyWindowStore.all()}, which leaves out entries older than the retention even
 *     while their segment is still on disk; {@code -1} when the store could not be queried
 * @param storeKeys the keys RocksDB holds for the command-id store, every task's and segment's
 *     ({@code estimate-num-keys} of the {@code stream-state-metrics}): expired entries included
 *     until their segment is dropped; {@code -1} when the metric is not there
 * @param storeMemtableBytes the command-id store's RocksDB memtables ({@code size-all-mem-tables}),
 *     every task's; {@code -1} when the metric is not there
 * @param storeBytesOnDisk the size of the files under the command-id store's directories in the
 *     state directory, every task's
 * @param storeSstFiles the RocksDB table files ({@code .sst}) among them: 0 while every entry is
 *     still in the memtables
 * @param storeSegments the most time segments (RocksDB instances) one task's command-id store had
 * @param p99Ms the 99th percentile of the result latency of the commands answered since the
 *     previous sample, from the gateway's send; {@code NaN} when none was
 * @param commandIdChangelogBytes the command-id store's changelog topic on the broker's disk
 * @param snapshotChangelogBytes the snapshot store's changelog topic on the broker's disk
 */
public record SustainedSample(double elapsedSeconds, long commandsSent, long commandsAnswered, long storeEntries,
                              long storeKeys, long storeMemtableBytes, long storeBytesOnDisk, int storeSstFiles,
                              int storeSegments, double p99Ms, long commandIdChangelogBytes, long snapshotChangelogBytes) {
}
