package io.eventfold.benchmarks.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

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
     * Writes a run that has a block of its own: {@code <resultsDir>/<base>.json} (the result) and
     * {@code .md} (the Markdown under a title), and the block of the docs page when the page exists.
     *
     * @param result the run, written as JSON
     * @param markdown the run rendered
     * @param resultsDir e.g. {@code benchmarks/results}
     * @param base the files' name without extension, e.g. {@code 2026-11-30-rebuild}
     * @param title the Markdown file's title
     * @param docsPage e.g. {@code docs/benchmarks.md}
     * @return the JSON file written
     * @throws IOException if a file cannot be written
     */
    public Path writeRun(Object result, String markdown, Path resultsDir, String base, String title, Path docsPage)
            throws IOException {
        Files.createDirectories(resultsDir);
        Path json = resultsDir.resolve(base + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result);
        Files.writeString(resultsDir.resolve(base + ".md"), "# " + title + "\n\n" + markdown, StandardCharsets.UTF_8);
        if (Files.exists(docsPage)) {
            write(docsPage, markdown);
        }
        return json;
    }

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
