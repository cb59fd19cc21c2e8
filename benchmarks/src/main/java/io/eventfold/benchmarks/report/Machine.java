package io.eventfold.benchmarks.report;

import java.lang.management.ManagementFactory;

/**
 * What the figures were measured on.
 *
 * @param cores available processors
 * @param memoryGiB physical memory, {@code -1} when the JVM cannot tell
 * @param maxHeapMiB the benchmark JVM's maximum heap
 * @param os operating system name, version and architecture
 * @param jvm JVM vendor, name and version
 */
public record Machine(int cores, double memoryGiB, long maxHeapMiB, String os, String jvm) {

    /**
     * Describes this machine and JVM.
     *
     * @return the description
     */
    public static Machine current() {
        double memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024) * 10) / 10.0;
        }
        return new Machine(Runtime.getRuntime().availableProcessors(), memory,
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version"));
    }

    @Override
    public String toString() {
        return cores + " cores, " + memoryGiB + " GiB memory, " + os + ", " + jvm + " (max heap " + maxHeapMiB + " MiB)";
    }
}
