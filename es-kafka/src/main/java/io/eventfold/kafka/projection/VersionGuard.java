package io.eventfold.kafka.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * For hand-written consumers (a {@link ProjectionRunner} needs none: it keeps versions in its
 * {@link CheckpointStore}): makes a SQL read model apply each version of each aggregate at most
 * once, whatever the redeliveries and replays: one row per (projection, aggregate) records the last version applied.
 * Call {@link #advance} in the same transaction as the read-model change it guards.
 *
 * <pre>{@code
 * VersionGuard guard = VersionGuard.forProjection("invoice-list");
 * guard.createTableIfMissing(connection);
 * connection.setAutoCommit(false);
 * try {
 *     if (guard.advance(connection, event.aggregateId(), event.version())) {
 *         // first time this version is seen: change the read model
 *     }
 *     connection.commit();
 * } catch (SQLException | RuntimeException e) {
 *     connection.rollback();
 *     throw e;
 * }
 * }</pre>
 *
 * <p>Any version newer than the last one applied is new: versions need not follow each other
 * (unlike a {@link ProjectionRunner} of events, which stops at a gap).
 *
 * <p>Uses only {@code java.sql} and portable SQL (tested on H2; written for PostgreSQL too).
 * Table: {@code eventfold_projection_versions(projection, aggregate_id, version)}, or the name
 * given to {@link #withTable}.
 */
public final class VersionGuard {

    /** The default table name. */
    public static final String DEFAULT_TABLE = "eventfold_projection_versions";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final String projection;
    private final String table;

    private VersionGuard(String projection, String table) {
        this.projection = projection;
        this.table = table;
    }

    /**
     * A guard for one projection; several projections share the table.
     *
     * @param projection the projection's name, not blank
     * @return a guard using {@link #DEFAULT_TABLE}
     */
    public static VersionGuard forProjection(String projection) {
        Objects.requireNonNull(projection, "projection must not be null");
        if (projection.isBlank()) {
            throw new IllegalArgumentException("projection must not be blank");
        }
        return new VersionGuard(projection, DEFAULT_TABLE);
    }

    /**
     * Returns a copy that keeps its versions in another table.
     *
     * @param tableName a plain SQL identifier: letters, digits and underscores
     * @return a copy of this guard
     */
    public VersionGuard withTable(String tableName) {
        if (tableName == null || !IDENTIFIER.matcher(tableName).matches()) {
            throw new IllegalArgumentException("table name '" + tableName + "' must be a plain SQL identifier");
        }
        return new VersionGuard(projection, tableName);
    }

    /**
     * Creates the version table unless it exists.
     *
     * @param connection a connection to the read model's database
     * @throws SQLException from the database
     */
    public void createTableIfMissing(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (projection VARCHAR(200) NOT NULL, "
                    + "aggregate_id VARCHAR(500) NOT NULL, version BIGINT NOT NULL, PRIMARY KEY (projection, aggregate_id))");
        }
    }

    /**
     * Records that a version of an aggregate is being applied, if it is newer than the last one.
     *
     * @param connection the connection, inside the transaction that changes the read model
     * @param aggregateId the aggregate
     * @param version the version about to be applied
     * @return {@code true} when the version is new: apply it; {@code false} when it was applied before: skip it
     * @throws SQLException from the database
     * @throws IllegalStateException when the connection is in auto-commit mode
     */
    public boolean advance(Connection connection, String aggregateId, long version) throws SQLException {
        if (connection.getAutoCommit()) {
            // The guard row would commit on its own; a failed read-model change would then lose the version for good.
            throw new IllegalStateException("advance needs a transaction: call connection.setAutoCommit(false) first");
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE " + table + " SET version = ? WHERE projection = ? AND aggregate_id = ? AND version < ?")) {
            update.setLong(1, version);
            update.setString(2, projection);
            update.setString(3, aggregateId);
            update.setLong(4, version);
            if (update.executeUpdate() == 1) {
                return true;
            }
        }
        if (version(connection, aggregateId).isPresent()) {
            return false;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + table + " (projection, aggregate_id, version) VALUES (?, ?, ?)")) {
            insert.setString(1, projection);
            insert.setString(2, aggregateId);
            insert.setLong(3, version);
            insert.executeUpdate();
            return true;
        }
    }

    /**
     * The last version applied for an aggregate.
     *
     * @param connection a connection to the read model's database
     * @param aggregateId the aggregate
     * @return the version, or empty when none was applied
     * @throws SQLException from the database
     */
    public OptionalLong version(Connection connection, String aggregateId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT version FROM " + table + " WHERE projection = ? AND aggregate_id = ?")) {
            select.setString(1, projection);
            select.setString(2, aggregateId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /**
     * Forgets every version of this projection, for a rebuild.
     *
     * @param connection a connection, inside the transaction that clears the read model
     * @throws SQLException from the database
     */
    public void reset(Connection connection) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE projection = ?")) {
            delete.setString(1, projection);
            delete.executeUpdate();
        }
    }
}
