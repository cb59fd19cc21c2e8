package io.eventfold.benchmarks.report;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What a sustained run's samples say, computed from them alone.
 *
 * <p>The command-id store is <em>flat</em> when, the run having lasted at least three retention
 * periods, (1) the most entries seen over the last half of the run is at most
 * {@value #BOUND_FACTOR} × retention × rate achieved, and (2) the entries averaged over the last
 * third of the run are at most {@value #TREND_TOLERANCE} × their average over the second third:
 * no upward trend once the first retention period is over. The rate is <em>kept</em> when the
 * rate achieved is at least {@value #RATE_TOLERANCE} × the rate asked for. The store's files are
 * <em>not growing</em> when their size averaged over the last third is at most
 * {@value #DISK_TOLERANCE} × the average over the second third, or less than 1 MiB more. RocksDB's
 * key count is <em>within</em> its bound when at most {@value #KEYS_TOLERANCE} × (retention +
 * segment interval) × rate: it is an estimate.
 *
 * @param entries {@code flat}, {@code not flat}, or {@code too short} when the run lasted less
 *     than three retention periods
 * @param rateKept whether the machine kept the rate asked for
 * @param maxEntriesLastHalf the most entries one sample of the last half saw
 * @param entriesBound {@value #BOUND_FACTOR} × retention × rate achieved
 * @param meanEntriesSecondThird the entries averaged over the samples of the second third
 * @param meanEntriesLastThird the entries averaged over the samples of the last third
 * @param meanStoreBytesSecondThird the store's bytes on disk averaged over the second third
 * @param meanStoreBytesLastThird the store's bytes on disk averaged over the last third
 * @param maxStoreKeysLastHalf the most keys RocksDB held for the store in one sample of the last
 *     half, expired entries of segments not yet dropped included; {@code -1} without the metric
 * @param storeKeysBound (retention + segment interval) × rate achieved: the most a store that
 *     drops its segments on time can hold
 * @param maxStoreMemtableBytes the most bytes the store's memtables held in one sample
 * @param maxStoreSstFiles the most table files ({@code .sst}) the store had in one sample: 0 when
 *     its entries never left the memtables
 * @param maxStoreSegments the most time segments one task's store had in any sample
 * @param commandIdChangelogBytesPerMinute how fast the command-id changelog grew over the last half
 * @param text the one-line verdict on the entries
 * @param rate one line on the rate
 * @param disk one line on the store's files and the changelog
 */
public record SustainedVerdict(String entries, boolean rateKept, long maxEntriesLastHalf, double entriesBound,
                               double meanEntriesSecondThird, double meanEntriesLastThird,
                               double meanStoreBytesSecondThird, double meanStoreBytesLastThird,
                               long maxStoreKeysLastHalf, double storeKeysBound, long maxStoreMemtableBytes,
                               int maxStoreSstFiles, int maxStoreSegments,
                               double commandIdChangelogBytesPerMinute, String text, String rate, String disk) {

    /** The entries allowed over the last half, in retention periods' worth of commands. */
    public static final double BOUND_FACTOR = 1.6;
    /** How much more the last third may average than the second third and still be flat. */
    public static final double TREND_TOLERANCE = 1.1;
    /** How much more the store's files may average over the last third than over the second third and not be called growing. */
    public static final double DISK_TOLERANCE = 1.25;
    /** How far RocksDB's estimated key count may exceed (retention + segment interval) × rate and still be within it. */
    public static final double KEYS_TOLERANCE = 1.1;
    /** The share of the rate asked for that counts as keeping it. */
    public static final double RATE_TOLERANCE = 0.95;

    private static final double MIB = 1024.0 * 1024.0;

    /**
     * Judges the samples of a run.
     *
     * @param samples in time order, the first at 0 s
     * @param retentionSeconds the command-id retention
     * @param segmentIntervalSeconds the store's time segments
     * @param targetRate commands per second asked for
     * @param achievedRate commands per second achieved
     * @return the verdict
     */
    public static SustainedVerdict of(List<SustainedSample> samples, long retentionSeconds, long segmentIntervalSeconds,
                                      double targetRate, double achievedRate) {
        double end = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).elapsedSeconds();
        List<SustainedSample> counted = samples.stream().filter(s -> s.storeEntries() >= 0).toList();
        List<SustainedSample> lastHalf = between(counted, end / 2, Double.MAX_VALUE);
        List<SustainedSample> secondThird = between(counted, end / 3, 2 * end / 3);
        List<SustainedSample> lastThird = between(counted, 2 * end / 3, Double.MAX_VALUE);
        long maxLastHalf = lastHalf.stream().mapToLong(SustainedSample::storeEntries).max().orElse(-1);
        double bound = BOUND_FACTOR * retentionSeconds * achievedRate;
        double meanSecond = mean(secondThird, SustainedSample::storeEntries);
        double meanLast = mean(lastThird, SustainedSample::storeEntries);

        String entries;
        String text;
        if (end < 3 * retentionSeconds || secondThird.isEmpty() || lastThird.isEmpty()) {
            entries = "too short";
            text = fmt("Too short to judge: the run lasted %.0f s, less than three %d s retention periods "
                    + "(or too few samples answered).", end, retentionSeconds);
        } else {
            boolean underBound = maxLastHalf <= bound;
            boolean noTrend = meanLast <= TREND_TOLERANCE * meanSecond;
            String figures = fmt("at most %,d entries over the last half of the run (bound %.1f × %d s × %,.0f commands/s "
                    + "= %,.0f), %,.0f on average over the last third against %,.0f over the second third",
                    maxLastHalf, BOUND_FACTOR, retentionSeconds, achievedRate, bound, meanLast, meanSecond);
            entries = underBound && noTrend ? "flat" : "not flat";
            text = underBound && noTrend
                    ? fmt("Flat: after the first %d s retention period the command-id store answered for %s.", retentionSeconds, figures)
                    : fmt("**Not flat** (%s): the command-id store answered for %s.",
                    !underBound && !noTrend ? "above the bound and rising" : !underBound ? "above the bound" : "rising",
                    figures);
        }

        boolean rateKept = achievedRate >= RATE_TOLERANCE * targetRate;
        String rate = rateKept
                ? fmt("Rate kept: %,.0f commands/s achieved of the %,.0f asked.", achievedRate, targetRate)
                : fmt("**The machine could not keep the rate**: %,.0f commands/s achieved of the %,.0f asked "
                + "(less than %.0f %%); the bound above uses the rate achieved.", achievedRate, targetRate, RATE_TOLERANCE * 100);

        double bytesSecond = mean(secondThird, SustainedSample::storeBytesOnDisk);
        double bytesLast = mean(lastThird, SustainedSample::storeBytesOnDisk);
        int maxSegments = samples.stream().mapToInt(SustainedSample::storeSegments).max().orElse(0);
        int maxSst = samples.stream().mapToInt(SustainedSample::storeSstFiles).max().orElse(0);
        long maxMemtables = samples.stream().mapToLong(SustainedSample::storeMemtableBytes).max().orElse(-1);
        List<SustainedSample> halfOn = between(samples, end / 2, Double.MAX_VALUE);
        long maxKeys = halfOn.stream().mapToLong(SustainedSample::storeKeys).max().orElse(-1);
        double keysBound = (retentionSeconds + segmentIntervalSeconds) * achievedRate;
        double changelogPerMinute = Double.NaN;
        if (halfOn.size() >= 2) {
            SustainedSample first = halfOn.get(0);
            SustainedSample last = halfOn.get(halfOn.size() - 1);
            changelogPerMinute = (last.commandIdChangelogBytes() - first.commandIdChangelogBytes())
                    / ((last.elapsedSeconds() - first.elapsedSeconds()) / 60);
        }
        String keys = maxKeys < 0 ? "RocksDB reported no key count for it"
                : fmt("RocksDB held at most %,d keys for it over the last half (%s (retention + segment interval) × rate "
                + "= (%d + %d) s × %,.0f/s = %,.0f: expired entries stay until their segment is dropped), memtables at most "
                + "%.1f MiB", maxKeys, maxKeys <= KEYS_TOLERANCE * keysBound ? "within" : "**above**", retentionSeconds, segmentIntervalSeconds,
                achievedRate, keysBound, maxMemtables / MIB);
        String disk = fmt("Store: %s; its files averaged %.1f MiB over the last third against %.1f MiB over the second "
                        + "third (%s), at most %d `.sst` files%s, in at most %d time segments per task. Its changelog "
                        + "topic grew %.1f MiB a minute over the last half.", keys, bytesLast / MIB, bytesSecond / MIB,
                Double.isNaN(bytesLast) || Double.isNaN(bytesSecond) ? "too few samples"
                        : bytesLast <= DISK_TOLERANCE * bytesSecond || bytesLast - bytesSecond < MIB ? "not growing"
                        : "**growing**",
                maxSst, maxSst == 0 ? " (no entry left the memtables: the files are RocksDB's own metadata)" : "",
                maxSegments, changelogPerMinute / MIB);
        return new SustainedVerdict(entries, rateKept, maxLastHalf, bound, meanSecond, meanLast, bytesSecond, bytesLast,
                maxKeys, keysBound, maxMemtables, maxSst, maxSegments, changelogPerMinute, text, rate, disk);
    }

    private static List<SustainedSample> between(List<SustainedSample> samples, double from, double to) {
        return samples.stream().filter(s -> s.elapsedSeconds() >= from && s.elapsedSeconds() < to).toList();
    }

    private static double mean(List<SustainedSample> samples, ToDoubleFunction<SustainedSample> value) {
        return samples.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
