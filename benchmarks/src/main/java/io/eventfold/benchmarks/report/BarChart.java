package io.eventfold.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart in SVG: for each scenario, Eventfold's and the baseline's commands per
 * second, and under {@code exactly_once_v2} the Pekko peer's (the mean of its passes) when it ran,
 * scaled to the largest of the group so that scenarios of very different speeds read alike.
 */
public final class BarChart {

    private static final int WIDTH = 720;
    private static final int LABEL = 250;
    private static final int BAR = 20;
    private static final int GAP = 26;
    /** The width of a character of the 13-pixel sans-serif labels, about. */
    private static final double CHARACTER_WIDTH = 7.5;
    private static final String EVENTFOLD_COLOUR = "#3b6ea8";
    private static final String BASELINE_COLOUR = "#9aa5b1";
    private static final String PEER_COLOUR = "#b07a3b";

    private BarChart() {
    }

    /**
     * One scenario: its name, both rates, Eventfold's over the baseline's as its table states it
     * (for the topology, the median of the rounds' ratios), and the peer's rate or NaN.
     */
    record Group(String name, double eventfold, double baseline, double ratio, double peer) {

        boolean hasPeer() {
            return !Double.isNaN(peer);
        }

        int height() {
            return (hasPeer() ? 3 * BAR + 4 : 2 * BAR + 2) + GAP;
        }
    }

    /**
     * Draws the chart of a run.
     *
     * @param results the run
     * @return SVG text
     */
    public static String render(Results results) {
        List<Group> groups = new ArrayList<>();
        if (results.topology() != null) {
            groups.add(new Group("TopologyTestDriver", results.topology().eventfoldCommandsPerSecond(),
                    results.topology().baselineCommandsPerSecond(), results.topology().ratio(), Double.NaN));
        }
        for (String guarantee : List.of("exactly_once_v2", "at_least_once")) {
            var eventfold = Summary.find(results.endToEnd(), "eventfold", guarantee);
            var baseline = Summary.find(results.endToEnd(), "baseline", guarantee);
            if (eventfold.isPresent() && baseline.isPresent()) {
                double peer = guarantee.equals("exactly_once_v2") && results.summary() != null
                        ? results.summary().peerCommandsPerSecond() : Double.NaN;
                groups.add(new Group("end to end, " + guarantee, eventfold.get().commandsPerSecond(),
                        baseline.get().commandsPerSecond(), eventfold.get().commandsPerSecond() / baseline.get().commandsPerSecond(), peer));
            }
        }
        return render(groups);
    }

    static String render(List<Group> groups) {
        int height = 50 + groups.stream().mapToInt(Group::height).sum() + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"13\">%n", WIDTH, height, WIDTH, height));
        svg.append(fmt("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Commands per second (longer is better)</text>\n");
        int y = 45;
        for (Group group : groups) {
            double max = Math.max(group.eventfold(), group.hasPeer() ? Math.max(group.baseline(), group.peer()) : group.baseline());
            svg.append(fmt("<text x=\"10\" y=\"%d\">%s</text>%n", y + BAR + 4, escape(group.name())));
            svg.append(fmt("<text x=\"10\" y=\"%d\" fill=\"#555\">Eventfold / baseline %.2f</text>%n",
                    y + 2 * BAR + 2, group.ratio()));
            bar(svg, y, group.eventfold() / max, EVENTFOLD_COLOUR, fmt("Eventfold %,.0f", group.eventfold()));
            bar(svg, y + BAR + 2, group.baseline() / max, BASELINE_COLOUR, fmt("baseline %,.0f", group.baseline()));
            if (group.hasPeer()) {
                svg.append(fmt("<text x=\"10\" y=\"%d\" fill=\"#555\">Eventfold / Pekko %.2f</text>%n",
                        y + 3 * BAR, group.eventfold() / group.peer()));
                bar(svg, y + 2 * BAR + 4, group.peer() / max, PEER_COLOUR, fmt("Pekko on PostgreSQL %,.0f", group.peer()));
            }
            y += group.height();
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void bar(StringBuilder svg, int y, double fraction, String colour, String label) {
        int length = (int) Math.round((WIDTH - LABEL - 20) * fraction);
        svg.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n", LABEL, y, length, BAR, colour));
        // A label that does not fit inside its bar goes after it, in dark text.
        boolean inside = length >= Math.round(label.length() * CHARACTER_WIDTH) + 12;
        svg.append(fmt("<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", inside ? LABEL + 6 : LABEL + length + 6, y + BAR - 6,
                inside ? "white" : "#222", escape(label)));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
