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
     * Eventfold's rate as a fraction of the baseline's.
     *
     * @return Eventfold / baseline
     */
    public double ratio() {
        return eventfoldCommandsPerSecond / baselineCommandsPerSecond;
    }
}
