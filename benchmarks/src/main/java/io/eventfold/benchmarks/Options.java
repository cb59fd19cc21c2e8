package io.eventfold.benchmarks;

import java.nio.file.Path;
import java.util.Set;

/**
 * The command line of {@link BenchmarkMain}.
 *
 * @param quick small sizes for a smoke run
 * @param commands end-to-end commands at full speed
 * @param aggregates end-to-end invoices
 * @param only which parts to run: {@code micro}, {@code topology}, {@code e2e}, {@code sustained}, {@code rebuild}, {@code replies}, {@code instances}
 * @param resultsDir where the JSON, Markdown and SVG go
 * @param docsPage the docs page whose generated sections are replaced
 * @param sustainedMinutes how long the sustained run sends commands
 * @param sustainedRate the sustained run's commands per second
 * @param sustainedRetentionSeconds the sustained run's command-id retention
 * @param rebuildAggregates invoices of the rebuild run
 * @param rebuildEvents events of the rebuild run
 * @param replyCommands commands each gateway sends in a pass of the reply-routing run
 * @param instanceCommands measured commands of each pass of the several-instances run
 * @param pekkoJdbcUrl the PostgreSQL database of the end-to-end run's Pekko peer, {@code null} to skip the peer
 * @param pekkoJdbcUser its user
 */
record Options(boolean quick, int commands, int aggregates, Set<String> only, Path resultsDir, Path docsPage,
               int sustainedMinutes, int sustainedRate, int sustainedRetentionSeconds, int rebuildAggregates,
               int rebuildEvents, int replyCommands, int instanceCommands, String pekkoJdbcUrl, String pekkoJdbcUser) {

    /** Every part {@code --only} takes. */
    private static final Set<String> PARTS = Set.of("micro", "topology", "e2e", "sustained", "rebuild", "replies",
            "instances");
    /**
     * The parts of a run without {@code --only}: the sustained run takes as long as it is told, and
     * the rebuild run writes a million events, so each runs alone.
     */
    private static final Set<String> DEFAULT_PARTS = Set.of("micro", "topology", "e2e");

    boolean runs(String part) {
        return only.contains(part);
    }

    /** Whether a part of the main report (JMH, topology, end to end) runs. */
    boolean runsMainReport() {
        return runs("micro") || runs("topology") || runs("e2e");
    }

    static Options parse(String[] args) {
        boolean quick = Boolean.getBoolean("benchmarks.quick");
        Integer commands = null;
        Integer aggregates = null;
        Set<String> only = DEFAULT_PARTS;
        Path results = Path.of("benchmarks", "results");
        Path docs = Path.of("docs", "benchmarks.md");
        int sustainedMinutes = 10;
        int sustainedRate = 1_500;
        int sustainedRetention = 60;
        Integer rebuildAggregates = null;
        Integer rebuildEvents = null;
        Integer replyCommands = null;
        Integer instanceCommands = null;
        String pekkoJdbcUrl = null;
        String pekkoJdbcUser = "pekko";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--commands" -> commands = positive(args, ++i);
                case "--aggregates" -> aggregates = positive(args, ++i);
                case "--only" -> only = parts(value(args, ++i));
                case "--results" -> results = Path.of(value(args, ++i));
                case "--docs" -> docs = Path.of(value(args, ++i));
                case "--sustained-minutes" -> sustainedMinutes = positive(args, ++i);
                case "--sustained-rate" -> sustainedRate = positive(args, ++i);
                case "--sustained-retention-seconds" -> sustainedRetention = positive(args, ++i);
                case "--rebuild-aggregates" -> rebuildAggregates = positive(args, ++i);
                case "--rebuild-events" -> rebuildEvents = positive(args, ++i);
                case "--reply-commands" -> replyCommands = positive(args, ++i);
                case "--instance-commands" -> instanceCommands = positive(args, ++i);
                case "--pekko-jdbc-url" -> pekkoJdbcUrl = value(args, ++i);
                case "--pekko-jdbc-user" -> pekkoJdbcUser = value(args, ++i);
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; expected --quick, --commands N, --aggregates N, --only micro,topology,e2e,sustained,rebuild,replies,instances, "
                        + "--results DIR, --docs FILE, --sustained-minutes N, --sustained-rate R, --sustained-retention-seconds S, "
                        + "--rebuild-aggregates N, --rebuild-events N, --reply-commands N, --instance-commands N, "
                        + "--pekko-jdbc-url URL, --pekko-jdbc-user USER");
            }
        }
        int defaultAggregates = quick ? 2_000 : 10_000;
        return new Options(quick, commands != null ? commands : quick ? 20_000 : 200_000,
                aggregates != null ? aggregates : defaultAggregates, only, results, docs,
                sustainedMinutes, sustainedRate, sustainedRetention,
                rebuildAggregates != null ? rebuildAggregates : quick ? 10_000 : 100_000,
                rebuildEvents != null ? rebuildEvents : quick ? 100_000 : 1_000_000,
                replyCommands != null ? replyCommands : quick ? 500 : 2_000,
                instanceCommands != null ? instanceCommands : quick ? 10_000 : 60_000, pekkoJdbcUrl, pekkoJdbcUser);
    }

    private static Set<String> parts(String list) {
        Set<String> parts = Set.of(list.split(","));
        if (!PARTS.containsAll(parts)) {
            throw new IllegalArgumentException("--only takes a list of " + PARTS + " but was '" + list + "'");
        }
        return parts;
    }

    private static int positive(String[] args, int i) {
        int value = Integer.parseInt(value(args, i));
        if (value < 1) {
            throw new IllegalArgumentException(args[i - 1] + " must be >= 1 but was " + value);
        }
        return value;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
