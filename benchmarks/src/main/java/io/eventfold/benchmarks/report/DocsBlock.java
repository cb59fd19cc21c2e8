package io.eventfold.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A generated block of a docs page, between a start and an end marker: replaced in place on every
 * run, so it stays wherever it is moved to; a page without it gets it appended under a heading.
 *
 * <pre>{@code
 * new DocsBlock("<!-- rebuild:start -->", "<!-- rebuild:end -->", "Snapshot rebuild").write(page, markdown);
 * }</pre>
 *
 * @param start the start marker
 * @param end the end marker
 * @param heading the heading a page without the block gets it under
 */
public record DocsBlock(String start, String end, String heading) {

    /**
     * Replaces the block's text.
     *
     * @param page the docs page
     * @param generated the new text between the markers
     * @throws IOException if the page cannot be read or written, or has only one of the markers
     */
    public void write(Path page, String generated) throws IOException {
        String text = Files.readString(page, StandardCharsets.UTF_8);
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        if (from < 0 && to < 0) {
            text = text + (text.endsWith("\n") ? "" : "\n") + "\n## " + heading + "\n\n" + start + "\n" + end + "\n";
            from = text.indexOf(start);
            to = text.indexOf(end);
        } else if (from < 0 || to < from) {
            throw new IOException(page + " has a broken " + start + " … " + end + " block");
        }
        Files.writeString(page, text.substring(0, from + start.length()) + "\n\n" + generated + text.substring(to),
                StandardCharsets.UTF_8);
    }
}
