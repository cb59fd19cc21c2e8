package io.eventfold.benchmarks.report;

import java.util.List;

/**
 * A snapshot-rebuild run: the invoice events of a first format written to a broker, then the
 * current invoice topology started on them, once per stream-thread count, and a hand-written fold
 * of the same events measured in the same run.
 *
 * @param date the run's date, {@code yyyy-MM-dd}
 * @param startedAt when the run started, ISO-8601
 * @param machine what it ran on
 * @param command the command line that reproduces the run
 * @param aggregates invoices
 * @param events event records written, all of the first format (no type or state versions)
 * @param partitions partitions of each topic
 * @param stateVersion the invoice type's state version the snapshots were rebuilt for
 * @param produceSeconds how long writing the events took
 * @param baselineSeconds the baseline: one consumer reading every event, upcasting, decoding and folding in a map,
 *     then one producer writing each final snapshot
 * @param passes the Eventfold starts
 */
public record RebuildResult(String date, String startedAt, Machine machine, String command, int aggregates, long events,
                            int partitions, int stateVersion, double produceSeconds, double baselineSeconds,
                            List<RebuildPass> passes) {
}
