package io.eventfold.benchmarks.report;

import java.util.List;
import java.util.Optional;

/**
 * The figures the targets are about, each {@code NaN} when its part was not run.
 *
 * @param topologyRatio Eventfold / baseline commands per second on TopologyTestDriver; target ≥ 0.9
 * @param exactlyOnceRatio Eventfold / baseline commands per second end to end under
 *     {@code exactly_once_v2}; target ≥ 1.0 (the baseline does not deduplicate)
 * @param atLeastOnceRatio the same under {@code at_least_once}; no target
 * @param exactlyOnceHalfRateP99Ms Eventfold's p99 latency at half its full-speed rate under
 *     {@code exactly_once_v2}; target ≤ 3 × {@code commit.interval.ms}
 * @param exactlyOnceCommitIntervalMs the commit interval of that pass
 * @param exactlyOnceRestoredPerCommand Eventfold's changelog records restored per command sent,
 *     after its state directory was deleted, under {@code exactly_once_v2}; target ≤ 1.5
 * @param peerCommandsPerSecond the Pekko peer's commands per second, the mean of its passes
 * @param exactlyOnceToPeerRatio Eventfold's commands per second under {@code exactly_once_v2}
 *     over {@code peerCommandsPerSecond}; target 1.0
 */
public record Summary(double topologyRatio, double exactlyOnceRatio, double atLeastOnceRatio,
                      double exactlyOnceHalfRateP99Ms, double exactlyOnceCommitIntervalMs,
                      double exactlyOnceRestoredPerCommand, double peerCommandsPerSecond, double exactlyOnceToPeerRatio) {

    /** The implementation name of the peer's passes, see {@code PekkoPeerBenchmark}. */
    public static final String PEER = "pekko-postgresql";

    /**
     * Computes the summary of whatever was measured.
     *
     * @param topology the topology benchmark, or {@code null}
     * @param endToEnd the load passes, possibly empty
     * @return the summary
     */
    public static Summary of(TopologyResult topology, List<LoadResult> endToEnd) {
        Optional<LoadResult> eos = find(endToEnd, "eventfold", "exactly_once_v2");
        double peer = endToEnd.stream().filter(p -> p.implementation().equals(PEER))
                .mapToDouble(LoadResult::commandsPerSecond).average().orElse(Double.NaN);
        return new Summary(topology == null ? Double.NaN : topology.ratio(),
                ratio(endToEnd, "exactly_once_v2"), ratio(endToEnd, "at_least_once"),
                eos.map(pass -> pass.halfRateLatency().p99Ms()).orElse(Double.NaN),
                eos.map(pass -> (double) pass.commitIntervalMs()).orElse(Double.NaN),
                eos.map(LoadResult::restoredRecordsPerCommand).orElse(Double.NaN),
                peer, eos.map(pass -> pass.commandsPerSecond() / peer).orElse(Double.NaN));
    }

    private static double ratio(List<LoadResult> passes, String guarantee) {
        Optional<LoadResult> eventfold = find(passes, "eventfold", guarantee);
        Optional<LoadResult> baseline = find(passes, "baseline", guarantee);
        return eventfold.isPresent() && baseline.isPresent()
                ? eventfold.get().commandsPerSecond() / baseline.get().commandsPerSecond() : Double.NaN;
    }

    static Optional<LoadResult> find(List<LoadResult> passes, String implementation, String guarantee) {
        return passes.stream().filter(p -> p.implementation().equals(implementation) && p.guarantee().equals(guarantee)).findFirst();
    }
}
