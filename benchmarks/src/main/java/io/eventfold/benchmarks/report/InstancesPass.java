package io.eventfold.benchmarks.report;

/**
 * One pass of the several-instances run: the invoice workload at full speed against N
 * application instances, each in a JVM of its own.
 *
 * @param instances application instances of the pass
 * @param activeTasks the active tasks of each instance once the group was stable, in start order
 * @param standbyTasks the standby tasks of each instance then
 * @param secondsToStable from starting the first instance to every instance RUNNING with its share of the tasks
 * @param unchanged whether no instance changed its state or tasks from then to the last answer
 * @param commands commands sent and measured (after the warm-up)
 * @param seconds how long they took, first send to last answer
 * @param commandsPerSecond {@code commands / seconds}
 * @param latency each command's time from send to result
 * @param accepted commands answered {@code Accepted}
 * @param failures commands that failed or were not answered
 * @param loadBefore the machine's one-minute load average when the measured workload started, {@code -1} if unknown
 * @param loadAfter the same when its last answer came
 */
public record InstancesPass(int instances, int[] activeTasks, int[] standbyTasks, double secondsToStable,
                            boolean unchanged, int commands,
                            double seconds, double commandsPerSecond, Latency latency, long accepted, long failures,
                            double loadBefore, double loadAfter) {
}
