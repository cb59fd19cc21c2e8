package io.eventfold.kafka.projection;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One build of a projection's read model: its tables carry the generation's number, and its
 * checkpoints and applied versions are kept under it. A projection has one {@link State#LIVE}
 * generation, number 1 from its first start; a rebuild or a new {@linkplain Projection#version() version}
 * builds a new generation beside the live one and switches readers over, so a read model is never emptied in place.
 *
 * <pre>{@code
 * String table = generation.table("invoices");   // "invoices_g1"
 * statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (invoice_id VARCHAR(200) PRIMARY KEY, …)");
 * }</pre>
 *
 * @param projection the projection's name
 * @param number the generation's number, from 1
 * @param version the {@linkplain Projection#version() code version} of the projection that builds it
 * @param state where the generation is in its life
 * @param since when it entered that state (as the checkpoint store recorded it)
 */
public record Generation(String projection, int number, int version, State state, Instant since) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** PostgreSQL's limit on identifiers, the lower of the databases the store supports. */
    private static final int MAX_IDENTIFIER = 63;

    /** Where a generation is in its life. */
    public enum State {
        /** Being built beside the live generation; readers do not use it yet. */
        BUILDING,
        /** The generation readers use. */
        LIVE,
        /** Replaced by a newer generation; its tables are kept for a while for readers that raced the switch. */
        RETIRED,
        /** Retired and its tables dropped. */
        DROPPED
    }

    /**
     * Validates the components.
     *
     * @param projection the projection's name, not blank
     * @param number the generation's number, at least 1
     * @param version the code version, at least 1
     * @param state the state, not null
     * @param since when it entered the state, not null
     */
    public Generation {
        Objects.requireNonNull(projection, "projection must not be null");
        if (projection.isBlank()) {
            throw new IllegalArgumentException("projection must not be blank");
        }
        if (number < 1) {
            throw new IllegalArgumentException("generation number " + number + " of projection " + projection + " must be at least 1");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version " + version + " of projection " + projection + " must be at least 1");
        }
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(since, "since must not be null");
    }

    /**
     * The name of one of this generation's tables: the base name and the generation's number, so
     * that two generations never share a table. The number is the projection's own: two
     * projections in one database need different base names.
     *
     * <pre>{@code
     * new Generation("invoice-list", 3, 1, Generation.State.LIVE, Instant.now()).table("invoices");   // "invoices_g3"
     * }</pre>
     *
     * @param base a plain SQL identifier (letters, digits, underscores)
     * @return {@code base + "_g" + number}
     * @throws IllegalArgumentException when the base is not a plain identifier or the name gets longer than 63 characters
     */
    public String table(String base) {
        if (base == null || !IDENTIFIER.matcher(base).matches()) {
            throw new IllegalArgumentException("table name '" + base + "' must be a plain SQL identifier (letters, digits, underscores)");
        }
        String name = base + "_g" + number;
        if (name.length() > MAX_IDENTIFIER) {
            throw new IllegalArgumentException("table name '" + name + "' is longer than " + MAX_IDENTIFIER + " characters");
        }
        return name;
    }
}
