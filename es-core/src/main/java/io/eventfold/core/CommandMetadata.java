package io.eventfold.core;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The limits of a command's metadata, which is copied to every event of the command (in the
 * envelope and as record headers): at most {@value #MAX_ENTRIES} entries; keys of 1 to
 * {@value #MAX_KEY_LENGTH} letters, digits, {@code .}, {@code _} or {@code -}, starting with a
 * letter or digit; values not blank, at most {@value #MAX_VALUE_LENGTH} characters, well-formed
 * text; all keys and values together at most {@value #MAX_TOTAL_BYTES} bytes of UTF-8. The
 * {@link CommandEngine} answers a command beyond them with {@code Failed} and
 * {@link InvalidMetadataException} as its error type, before its aggregate decides anything.
 *
 * <pre>{@code
 * Optional<String> problem = CommandMetadata.problem(Map.of("user", "alice"));   // empty: fine
 * CommandMetadata.check(headersFromHttp);                                          // throws when not
 * }</pre>
 */
public final class CommandMetadata {

    /** Entries per command. */
    public static final int MAX_ENTRIES = 32;
    /** Characters per key. */
    public static final int MAX_KEY_LENGTH = 64;
    /** Characters per value. */
    public static final int MAX_VALUE_LENGTH = 1024;
    /** UTF-8 bytes of all keys and values together. */
    public static final int MAX_TOTAL_BYTES = 4096;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_KEY_LENGTH - 1) + "}");

    private CommandMetadata() {
    }

    /**
     * What is wrong with some metadata, if anything: the first broken rule, naming the key.
     *
     * @param metadata the metadata, not {@code null}
     * @return empty when it is within every limit
     */
    public static Optional<String> problem(Map<String, String> metadata) {
        Checks.notNull(metadata, "metadata");
        if (metadata.isEmpty()) {
            return Optional.empty(); // most commands: checked on every one, so nothing allocated for them
        }
        if (metadata.size() > MAX_ENTRIES) {
            return Optional.of("metadata has " + metadata.size() + " entries, at most " + MAX_ENTRIES + " are allowed");
        }
        long bytes = 0;
        // Sorted, so the same metadata always names the same key first.
        for (Map.Entry<String, String> entry : new TreeMap<>(metadata).entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (!KEY.matcher(key).matches()) {
                return Optional.of("metadata key '" + ErrorText.bounded(key) + "' is not 1 to " + MAX_KEY_LENGTH
                        + " letters, digits, '.', '_' or '-' starting with a letter or digit");
            }
            if (value.isBlank()) {
                return Optional.of("metadata[" + key + "] is blank");
            }
            if (value.length() > MAX_VALUE_LENGTH) {
                return Optional.of("metadata[" + key + "] has " + value.length() + " characters, at most " + MAX_VALUE_LENGTH
                        + " are allowed");
            }
            try {
                Checks.notBlank(value, "metadata[" + key + "]");
            } catch (IllegalArgumentException e) {
                return Optional.of(e.getMessage());
            }
            bytes += key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_TOTAL_BYTES) {
            return Optional.of("metadata has " + bytes + " bytes of keys and values, at most " + MAX_TOTAL_BYTES
                    + " are allowed: it is copied to every event of the command");
        }
        return Optional.empty();
    }

    /**
     * Checks some metadata against the limits.
     *
     * @param metadata the metadata, not {@code null}
     * @return the metadata
     * @throws InvalidMetadataException naming the first broken rule
     */
    public static Map<String, String> check(Map<String, String> metadata) {
        Optional<String> problem = problem(metadata);
        if (problem.isPresent()) {
            throw new InvalidMetadataException(problem.get());
        }
        return metadata;
    }

    /** An unmodifiable copy; {@code null} is empty; a {@code null} key or value is refused. */
    static Map<String, String> copyOf(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        metadata.forEach((key, value) -> {
            Checks.notNull(key, "metadata key");
            Checks.notNull(value, "metadata[" + key + "]");
        });
        return Map.copyOf(metadata);
    }
}
