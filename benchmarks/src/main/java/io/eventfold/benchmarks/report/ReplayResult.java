package io.eventfold.benchmarks.report;

import java.util.Map;

/**
 * A restart with an empty state directory: how long until the application was RUNNING again,
 * and how many changelog records it restored to get there.
 *
 * @param secondsToRunning from {@code start()} to state RUNNING
 * @param restoredRecords changelog records restored, all stores together
 * @param restoredByStore changelog records restored per store
 */
public record ReplayResult(double secondsToRunning, long restoredRecords, Map<String, Long> restoredByStore) {

    /**
     * The restore rate over the whole time to RUNNING.
     *
     * @return restored records per second
     */
    public double recordsPerSecond() {
        return restoredRecords / secondsToRunning;
    }
}
