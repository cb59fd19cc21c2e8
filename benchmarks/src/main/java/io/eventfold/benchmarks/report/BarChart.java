package io.eventfold.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart in SVG: for each scenario, Eventfold's and the baseline's commands per
 * second, scaled to the larger of the two so that scenarios of very different speeds read alike.
 */
public final class BarChart {

    private static final int WIDTH = 720;
    private static final int LABEL = 250;
    private static final int BAR = 20;
    private static final int GROUP = 2 * BAR + 26;
    private static final String EVENTFOLD_COLOUR = "#3b6ea8";
    private static final String BASELINE_COLOUR = "#9aa5b1";

    private BarChart() {
    }

    /** One scenario: its name and both rates. */
    record Group(String name, double eventfold, double baseline) {
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
                    results.topology().baselineCommandsPerSecond()));
        }
        for (String guarantee : List.of("exactly_once_v2", "at_least_once")) {
            var eventfold = Summary.find(results.endToEnd(), "eventfold", guarantee);
            var baseline = Summary.find(results.endToEnd(), "baseline", guarantee);
            if (eventfold.isPresent() && baseline.isPresent()) {
                groups.add(new Group("end to end, " + guarantee, eventfold.get().commandsPerSecond(),
                        baseline.get().commandsPerSecond()));
            }
        }
        return render(groups);
    }

    static String render(List<Group> groups) {
        int height = 50 + groups.size() * GROUP + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"13\">%n", WIDTH, height, WIDTH, height));
        svg.append(fmt("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Commands per second (longer is better)</text>\n");
        int y = 45;
        for (Group group : groups) {
            double max = Math.max(group.eventfold(), group.baseline());
            svg.append(fmt("<text x=\"10\" y=\"%d\">%s</text>%n", y + BAR + 4, escape(group.name())));
            svg.append(fmt("<text x=\"10\" y=\"%d\" fill=\"#555\">Eventfold / baseline %.2f</text>%n",
                    y + 2 * BAR + 2, group.eventfold() / group.baseline()));
            bar(svg, y, group.eventfold() / max, EVENTFOLD_COLOUR, fmt("Eventfold %,.0f", group.eventfold()));
            bar(svg, y + BAR + 2, group.baseline() / max, BASELINE_COLOUR, fmt("baseline %,.0f", group.baseline()));
            y += GROUP;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void bar(StringBuilder svg, int y, double fraction, String colour, String label) {
        int length = (int) Math.round((WIDTH - LABEL - 20) * fraction);
        svg.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n", LABEL, y, length, BAR, colour));
        svg.append(fmt("<text x=\"%d\" y=\"%d\" fill=\"white\">%s</text>%n", LABEL + 6, y + BAR - 6, escape(label)));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
