package io.eventfold.benchmarks.report;

import java.util.List;

/**
 * Everything one run measured; parts that were not run are empty or {@code null}.
 *
 * @param date the run's date, {@code yyyy-MM-dd}
 * @param startedAt when the run started, ISO-8601
 * @param mode {@code full} or {@code quick}
 * @param machine what it ran on
 * @param durationSeconds how long the whole run took
 * @param micro the JMH scores
 * @param topology the topology CPU benchmark
 * @param endToEnd the passes against the broker
 * @param summary the figures the targets are about
 */
public record Results(String date, String startedAt, String mode, Machine machine, double durationSeconds,
                      List<MicroResult> micro, TopologyResult topology, List<LoadResult> endToEnd, Summary summary) {
}
