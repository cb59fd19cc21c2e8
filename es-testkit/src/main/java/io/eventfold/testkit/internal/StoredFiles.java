package io.eventfold.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds and reads the stored JSON records of a corpus: a location is a class-path resource
 * (usually under {@code src/test/resources}) or else a file-system path; a file holds one
 * envelope per line ({@code .jsonl}) or a JSON array of envelopes.
 */
public final class StoredFiles {

    /** One stored record and where it came from, for messages. */
    public record Stored(String file, int line, JsonNode json) {
        /** {@code corpus/v1/INV-1.events.jsonl, line 3}. */
        public String where() {
            return file + ", line " + line;
        }
    }

    private StoredFiles() {
    }

    /** The directory or file a location names: a class-path resource first, else a path. */
    public static Path resolve(String location) {
        String resource = location.startsWith("/") ? location.substring(1) : location;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        URL url = (loader == null ? StoredFiles.class.getClassLoader() : loader).getResource(resource);
        if (url != null && "file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("cannot read resource '" + location + "' at " + url, e);
            }
        }
        Path path = Path.of(location);
        if (Files.exists(path)) {
            return path;
        }
        throw new IllegalArgumentException("'" + location + "' is neither a class-path resource directory nor a path"
                + (url == null ? "" : " (it is a resource at " + url + ", which is not a directory on disk)"));
    }

    /** The files of a directory whose names end with the suffix, sorted by name. */
    public static List<Path> list(Path directory, String suffix) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /**
     * The records of a file, in order.
     *
     * @param label how messages name the file
     * @throws IllegalArgumentException naming the file and line when a record is not JSON
     */
    public static List<Stored> read(Path file, String label, ObjectMapper mapper) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + label, e);
        }
        List<Stored> records = new ArrayList<>();
        if (text.stripLeading().startsWith("[")) {
            JsonNode array = parse(mapper, text, label);
            for (int i = 0; i < array.size(); i++) {
                records.add(new Stored(label, i + 1, array.get(i)));
            }
            return records;
        }
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                records.add(new Stored(label, i + 1, parse(mapper, lines[i], label + ", line " + (i + 1))));
            }
        }
        return records;
    }

    /** The file name without a suffix: {@code INV-1.events.jsonl} less {@code .events.jsonl} is {@code INV-1}. */
    public static String id(Path file, String suffix) {
        String name = file.getFileName().toString();
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
    }

    private static JsonNode parse(ObjectMapper mapper, String json, String where) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
