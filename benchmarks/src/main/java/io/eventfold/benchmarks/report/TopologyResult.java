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
 */
public record TopologyResult(int invoices, int commandsPerInvoice, int rounds,
                             double eventfoldCommandsPerSecond, double baselineCommandsPerSecond,
                             double[] eventfoldRounds, double[] baselineRounds) {

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
        double[] ratios = new double[eventfoldRounds.length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = eventfoldRounds[i] / baselineRounds[i];
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
