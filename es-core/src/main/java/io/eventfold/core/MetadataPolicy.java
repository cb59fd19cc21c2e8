package io.eventfold.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which of a command's metadata its events keep (and with them the snapshot and result records
 * of the command): {@linkplain #all() all of it}, the default; {@linkplain #only(String...) an
 * allow-list}; or {@linkplain #none() none}. Events are kept for good, commands only for their
 * topic's retention, so what an event keeps is what the audit trail will show.
 *
 * <pre>{@code
 * CommandEngine<InvoiceCommand, InvoiceEvent, Invoice> engine =
 *     CommandEngine.of(new InvoiceAggregate(), MetadataPolicy.only("user", "tenant"));
 * }</pre>
 */
public final class MetadataPolicy {

    private static final MetadataPolicy ALL = new MetadataPolicy(null);
    private static final MetadataPolicy NONE = new MetadataPolicy(Set.of());

    /** The keys kept; {@code null} keeps every key. */
    private final Set<String> kept;

    private MetadataPolicy(Set<String> kept) {
        this.kept = kept;
    }

    /**
     * Every entry: the default.
     *
     * @return the policy
     */
    public static MetadataPolicy all() {
        return ALL;
    }

    /**
     * No entry: events carry only the causation and correlation ids.
     *
     * @return the policy
     */
    public static MetadataPolicy none() {
        return NONE;
    }

    /**
     * The entries of these keys, no other.
     *
     * @param keys the keys kept; not {@code null}, none {@code null}
     * @return the policy
     */
    public static MetadataPolicy only(String... keys) {
        Checks.notNull(keys, "keys");
        for (String key : keys) {
            Checks.notNull(key, "key");
        }
        return new MetadataPolicy(Set.of(keys));
    }

    /**
     * What the records of a command with this metadata keep: its events, and the headers of its
     * snapshot and result records. Nothing of metadata beyond the {@link CommandMetadata} limits,
     * which makes the command fail.
     *
     * @param metadata the command's metadata, not {@code null}
     * @return the entries kept, unmodifiable
     */
    public Map<String, String> apply(Map<String, String> metadata) {
        Checks.notNull(metadata, "metadata");
        if (CommandMetadata.problem(metadata).isPresent()) {
            return Map.of();
        }
        if (kept == null) {
            return CommandMetadata.copyOf(metadata);
        }
        Map<String, String> result = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            if (kept.contains(key)) {
                result.put(key, value);
            }
        });
        return CommandMetadata.copyOf(result);
    }

    @Override
    public String toString() {
        return kept == null ? "MetadataPolicy.all()" : kept.isEmpty() ? "MetadataPolicy.none()" : "MetadataPolicy.only(" + kept + ")";
    }
}
