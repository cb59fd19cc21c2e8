package io.eventfold.benchmarks.report;

/**
 * The topology CPU benchmark: median commands per second of Eventfold and of the baseline.
 *
 * @param invoices invoices per round
 * @param commandsPerInvoice commands per invoice
 * @param rounds counted rounds per topology
 * @param eventfoldCommandsPerSecond Eventfold's median
 * @param baselineCommandsPerSecond the baseline's median
 * @param eventfoldRounds every counted round of Eventfold
 * @param baselineRounds every counted round of the baseline
 * @param dedupBaselineCommandsPerSecond the median of the baseline that also deduplicates
 * @param dedupBaselineRounds every counted round of the baseline that also deduplicates
 * @param meteredCommandsPerSecond the median of Eventfold reporting to a Prometheus meter registry
 * @param meteredRounds every counted round of Eventfold with the meter registry
 */
public record TopologyResult(int invoices, int commandsPerInvoice, int rounds,
                             double eventfoldCommandsPerSecond, double baselineCommandsPerSecond,
                             double[] eventfoldRounds, double[] baselineRounds,
                             double dedupBaselineCommandsPerSecond, double[] dedupBaselineRounds,
                             double meteredCommandsPerSecond, double[] meteredRounds) {

    /**
     * Eventfold's rate as a fraction of the baseline's: the median over rounds of the two rates
     * measured in the same round. The two run back to back within a round, so a machine whose
     * speed drifts between rounds moves both; the ratio of the two medians would not cancel that.
     *
     * @return Eventfold / baseline
     */
    public double ratio() {
        return median(roundRatios());
    }

    /**
     * Eventfold's rate over the baseline's, round by round.
     *
     * @return one ratio per counted round
     */
    public double[] roundRatios() {
        return ratios(eventfoldRounds, baselineRounds);
    }

    /**
     * Eventfold's rate as a fraction of the baseline's that also deduplicates, measured as {@link #ratio()}.
     *
     * @return Eventfold / baseline with deduplication
     */
    public double dedupRatio() {
        return median(dedupRoundRatios());
    }

    /**
     * Eventfold's rate over the deduplicating baseline's, round by round.
     *
     * @return one ratio per counted round
     */
    public double[] dedupRoundRatios() {
        return ratios(eventfoldRounds, dedupBaselineRounds);
    }

    /**
     * Eventfold's rate with its meters on (a Prometheus registry) as a fraction of its rate
     * without, measured as {@link #ratio()}: one minus it is the meters' cost.
     *
     * @return Eventfold with metrics / Eventfold
     */
    public double meteredRatio() {
        return median(meteredRoundRatios());
    }

    /**
     * Eventfold's rate with metrics over its rate without, round by round.
     *
     * @return one ratio per counted round
     */
    public double[] meteredRoundRatios() {
        return ratios(meteredRounds, eventfoldRounds);
    }

    private static double[] ratios(double[] numerators, double[] denominators) {
        double[] ratios = new double[numerators.length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = numerators[i] / denominators[i];
        }
        return ratios;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
