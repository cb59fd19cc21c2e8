package io.eventfold.benchmarks.report;

import java.util.List;

/**
 * A several-instances run: one broker in its own JVM and, in turn, 1, 2 and 3 application
 * instances, each in its own JVM, sent the invoice workload through one gateway.
 *
 * @param date the run's date, {@code yyyy-MM-dd}
 * @param startedAt when the run started, ISO-8601
 * @param machine what it ran on
 * @param command the command line that reproduces the run
 * @param partitions partitions of each topic
 * @param aggregates invoices of each pass's measured workload
 * @param warmupCommands commands sent before measuring, in each pass
 * @param maxInFlight commands awaiting their result at most
 * @param passes one per instance count
 */
public record InstancesResult(String date, String startedAt, Machine machine, String command, int partitions, int aggregates,
                              int warmupCommands, int maxInFlight, List<InstancesPass> passes) {
}
