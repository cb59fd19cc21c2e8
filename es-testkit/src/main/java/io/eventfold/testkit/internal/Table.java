package io.eventfold.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * An indexed expected/actual table; rows that differ are marked, and rows present on one side
 * only say {@code <missing>} or {@code <unexpected>}.
 */
public final class Table {

    private static final String MISSING = "<missing>";
    private static final String UNEXPECTED = "<unexpected>";

    private Table() {
    }

    public static String of(List<?> expected, List<?> actual, String actualHeading) {
        return of(expected, actual, actualHeading, Render::value);
    }

    /** A table whose rows show each value as {@code render} writes it. */
    public static <T> String of(List<? extends T> expected, List<? extends T> actual, String actualHeading,
                                Function<? super T, String> render) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "#", "expected", actualHeading});
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String left = i < expected.size() ? render.apply(expected.get(i)) : UNEXPECTED;
            String right = i < actual.size() ? render.apply(actual.get(i)) : MISSING;
            boolean same = i < expected.size() && i < actual.size() && Objects.equals(expected.get(i), actual.get(i));
            rows.add(new String[] {same ? " " : "✘", Integer.toString(i + 1), left, right});
        }
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int c = 0; c < 4; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            table.append("  ").append(pad(row[0], widths[0])).append(' ').append(pad(row[1], widths[1]))
                    .append(" | ").append(pad(row[2], widths[2])).append(" | ").append(row[3]).append('\n');
        }
        return table.toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
