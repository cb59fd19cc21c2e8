package io.eventfold.kafka.projection.jdbc;

import io.eventfold.kafka.projection.CheckpointConflictException;
import io.eventfold.kafka.projection.CheckpointStore;
import io.eventfold.kafka.projection.Generation;
import io.eventfold.kafka.projection.GenerationRetiredException;
import io.eventfold.kafka.projection.SessionWork;
import org.apache.kafka.common.TopicPartition;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link CheckpointStore} in a SQL database through plain JDBC: H2 and PostgreSQL (portable SQL,
 * {@code java.sql} only). Keep it in the same database as the read model, so that a batch's rows
 * and its checkpoint commit in one transaction.
 *
 * <p>Tables, created by {@link #createTablesIfMissing()} (names start with the
 * {@linkplain #withTablePrefix prefix}, {@code eventfold_projection_} by default):
 * <ul>
 *   <li>{@code …checkpoints(projection, generation, topic, partition_id, next_offset, updated_at, updated_by)}:
 *       the next offset to apply per partition;</li>
 *   <li>{@code …generations(projection, generation, version, state, requested_at, switched_at, reason)};</li>
 *   <li>{@code …versions(projection, aggregate_id, version)}: the last version applied per aggregate,
 *       keyed by {@code "<projection>@g<generation>"} (the table {@code VersionGuard} uses, with keys
 *       of its own).</li>
 * </ul>
 *
 * <pre>{@code
 * JdbcCheckpointStore store = JdbcCheckpointStore.of(() -> DriverManager.getConnection(jdbcUrl));
 * ProjectionRunner.forSnapshots(Invoices.TYPE, bootstrap, "invoice-list", invoiceList, store).start();
 * }</pre>
 */
public final class JdbcCheckpointStore implements CheckpointStore<Connection> {

    /** The default prefix of the store's tables. */
    public static final String DEFAULT_PREFIX = "eventfold_projection_";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,40}");
    /** SQLState of a unique-key violation, in H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** Keeps IN lists well below every driver's limit on parameters. */
    private static final int CHUNK = 500;

    private final ConnectionFactory connections;
    private final String checkpoints;
    private final String generations;
    private final String versions;

    private JdbcCheckpointStore(ConnectionFactory connections, String prefix) {
        this.connections = connections;
        this.checkpoints = prefix + "checkpoints";
        this.generations = prefix + "generations";
        this.versions = prefix + "versions";
    }

    /**
     * A store on the connections a factory opens.
     *
     * <pre>{@code
     * JdbcCheckpointStore.of(() -> DriverManager.getConnection("jdbc:postgresql://db/invoices", user, password));
     * }</pre>
     *
     * @param connections opens a connection per transaction
     * @return the store, with the default table prefix
     */
    public static JdbcCheckpointStore of(ConnectionFactory connections) {
        return new JdbcCheckpointStore(Objects.requireNonNull(connections, "connections must not be null"), DEFAULT_PREFIX);
    }

    /**
     * A store on a data source (a connection pool).
     *
     * <pre>{@code
     * JdbcCheckpointStore.of(dataSource);
     * }</pre>
     *
     * @param dataSource the data source
     * @return the store, with the default table prefix
     */
    public static JdbcCheckpointStore of(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        return of(dataSource::getConnection);
    }

    /**
     * Returns a store whose tables have another prefix.
     *
     * <pre>{@code
     * store.withTablePrefix("billing_projection_");   // billing_projection_checkpoints, …
     * }</pre>
     *
     * @param prefix a plain SQL identifier (letters, digits, underscores), at most 41 characters
     * @return a new store
     */
    public JdbcCheckpointStore withTablePrefix(String prefix) {
        if (prefix == null || !IDENTIFIER.matcher(prefix).matches()) {
            throw new IllegalArgumentException("table prefix '" + prefix + "' must be a plain SQL identifier of at most 41 characters");
        }
        return new JdbcCheckpointStore(connections, prefix);
    }

    /**
     * The generation a reader of a projection's code version should query: the live one when it
     * was built by that version, else the newest generation of that version whose tables still
     * exist (during a rolling deploy, instances of the older version keep reading theirs).
     *
     * <pre>{@code
     * Generation g = store.forReading(connection, "invoice-list", 1).orElseThrow();
     * connection.prepareStatement("SELECT * FROM " + g.table("invoices"));
     * }</pre>
     *
     * @param connection a connection to the database
     * @param projection the projection's name
     * @param version the reader's code version
     * @return the generation, empty before the projection first started
     * @throws SQLException from the database
     */
    public Optional<Generation> forReading(Connection connection, String projection, int version) throws SQLException {
        List<Generation> all = generations(connection, projection);
        Optional<Generation> live = all.stream()
                .filter(g -> g.state() == Generation.State.LIVE && g.version() == version).findFirst();
        if (live.isPresent()) {
            return live;
        }
        return all.stream().filter(g -> g.version() == version && g.state() != Generation.State.DROPPED)
                .max(Comparator.comparingInt(Generation::number));
    }

    @Override
    public <R> R inTransaction(SessionWork<Connection, R> work) throws Exception {
        try (Connection connection = connections.connect()) {
            connection.setAutoCommit(false);
            try {
                R result = work.run(connection);
                connection.commit();
                return result;
            } catch (Exception | Error e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }
    }

    @Override
    public void createTablesIfMissing() throws SQLException {
        try (Connection connection = connections.connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("CREATE TABLE IF NOT EXISTS " + checkpoints + " (projection VARCHAR(200) NOT NULL,"
                    + " generation INT NOT NULL, topic VARCHAR(249) NOT NULL, partition_id INT NOT NULL,"
                    + " next_offset BIGINT NOT NULL, updated_at TIMESTAMP NOT NULL, updated_by VARCHAR(200) NOT NULL,"
                    + " PRIMARY KEY (projection, generation, topic, partition_id))");
            statement.execute("CREATE TABLE IF NOT EXISTS " + generations + " (projection VARCHAR(200) NOT NULL,"
                    + " generation INT NOT NULL, version INT NOT NULL, state VARCHAR(16) NOT NULL,"
                    + " requested_at TIMESTAMP NOT NULL, switched_at TIMESTAMP, reason VARCHAR(1000),"
                    + " PRIMARY KEY (projection, generation))");
            statement.execute("CREATE TABLE IF NOT EXISTS " + versions + " (projection VARCHAR(200) NOT NULL,"
                    + " aggregate_id VARCHAR(500) NOT NULL, version BIGINT NOT NULL, PRIMARY KEY (projection, aggregate_id))");
        }
    }

    @Override
    public Map<TopicPartition, Long> positions(Connection connection, Generation generation, Collection<TopicPartition> partitions)
            throws SQLException {
        Set<TopicPartition> wanted = new HashSet<>(partitions);
        Map<TopicPartition, Long> found = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT topic, partition_id, next_offset FROM " + checkpoints + " WHERE projection = ? AND generation = ?")) {
            select.setString(1, generation.projection());
            select.setInt(2, generation.number());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    TopicPartition partition = new TopicPartition(rows.getString(1), rows.getInt(2));
                    if (wanted.contains(partition)) {
                        found.put(partition, rows.getLong(3));
                    }
                }
            }
        }
        return found;
    }

    @Override
    public void claim(Connection connection, Generation generation, Map<TopicPartition, OptionalLong> expected, String instance)
            throws SQLException, CheckpointConflictException, GenerationRetiredException {
        List<TopicPartition> ordered = new ArrayList<>(expected.keySet());
        ordered.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        Timestamp now = Timestamp.from(Instant.now());
        for (TopicPartition partition : ordered) {
            OptionalLong offset = expected.get(partition);
            if (offset.isPresent()) {
                // Locks the row; a runner blocked here behind another's commit re-reads the row and finds 0 rows.
                try (PreparedStatement update = connection.prepareStatement("UPDATE " + checkpoints
                        + " SET updated_at = ?, updated_by = ? WHERE projection = ? AND generation = ? AND topic = ?"
                        + " AND partition_id = ? AND next_offset = ?")) {
                    update.setTimestamp(1, now);
                    update.setString(2, instance);
                    bindKey(update, 3, generation, partition);
                    update.setLong(7, offset.getAsLong());
                    if (update.executeUpdate() != 1) {
                        throw new CheckpointConflictException(generation.projection(), generation.number(), partition,
                                "at offset " + offset.getAsLong());
                    }
                }
            } else {
                // The offset is a placeholder: advance() sets the real one in the same transaction.
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + checkpoints
                        + " (updated_at, updated_by, projection, generation, topic, partition_id, next_offset) VALUES (?, ?, ?, ?, ?, ?, 0)")) {
                    insert.setTimestamp(1, now);
                    insert.setString(2, instance);
                    bindKey(insert, 3, generation, partition);
                    insert.executeUpdate();
                } catch (SQLException e) {
                    if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        CheckpointConflictException conflict = new CheckpointConflictException(generation.projection(),
                                generation.number(), partition, "missing");
                        conflict.initCause(e);
                        throw conflict;
                    }
                    throw e;
                }
            }
        }
        // After the checkpoints are locked: a switch-over holds the live ones while it retires the generation,
        // so a batch either committed before it (and the building generation must reach it) or sees RETIRED here.
        String state = state(connection, generation);
        if (!Generation.State.LIVE.name().equals(state) && !Generation.State.BUILDING.name().equals(state)) {
            throw new GenerationRetiredException(generation.projection(), generation.number(), state == null ? "unknown" : state);
        }
    }

    private String state(Connection connection, Generation generation) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT state FROM " + generations + " WHERE projection = ? AND generation = ?")) {
            select.setString(1, generation.projection());
            select.setInt(2, generation.number());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    @Override
    public void advance(Connection connection, Generation generation, Map<TopicPartition, Long> next, String instance)
            throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + checkpoints
                + " SET next_offset = ?, updated_at = ?, updated_by = ? WHERE projection = ? AND generation = ? AND topic = ?"
                + " AND partition_id = ?")) {
            for (Map.Entry<TopicPartition, Long> entry : next.entrySet()) {
                update.setLong(1, entry.getValue());
                update.setTimestamp(2, now);
                update.setString(3, instance);
                bindKey(update, 4, generation, entry.getKey());
                if (update.executeUpdate() != 1) {
                    throw new IllegalStateException("projection " + generation.projection() + " (generation " + generation.number()
                            + "): no checkpoint of " + entry.getKey() + " to advance; claim it first in the same transaction");
                }
            }
        }
    }

    @Override
    public Map<String, Long> lastVersions(Connection connection, Generation generation, Collection<String> aggregateIds)
            throws SQLException {
        List<String> ids = new ArrayList<>(new HashSet<>(aggregateIds));
        Map<String, Long> last = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement select = connection.prepareStatement("SELECT aggregate_id, version FROM " + versions
                    + " WHERE projection = ? AND aggregate_id IN (" + marks + ")")) {
                select.setString(1, versionKey(generation));
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(i + 2, chunk.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        last.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
        }
        return last;
    }

    @Override
    public void recordVersions(Connection connection, Generation generation, Map<String, Long> last) throws SQLException {
        if (last.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Long>> entries = new ArrayList<>(last.entrySet());
        int[] updated;
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE " + versions + " SET version = ? WHERE projection = ? AND aggregate_id = ?")) {
            for (Map.Entry<String, Long> entry : entries) {
                update.setLong(1, entry.getValue());
                update.setString(2, versionKey(generation));
                update.setString(3, entry.getKey());
                update.addBatch();
            }
            updated = update.executeBatch();
        }
        Map<String, Long> missing = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            if (updated[i] == 0) {
                missing.put(entries.get(i).getKey(), entries.get(i).getValue());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + versions + " (projection, aggregate_id, version) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, Long> entry : missing.entrySet()) {
                insert.setString(1, versionKey(generation));
                insert.setString(2, entry.getKey());
                insert.setLong(3, entry.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @Override
    public List<Generation> generations(Connection connection, String projection) throws SQLException {
        List<Generation> found = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT generation, version, state,"
                + " COALESCE(switched_at, requested_at) FROM " + generations + " WHERE projection = ? ORDER BY generation")) {
            select.setString(1, projection);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(new Generation(projection, rows.getInt(1), rows.getInt(2),
                            Generation.State.valueOf(rows.getString(3)), rows.getTimestamp(4).toInstant()));
                }
            }
        }
        return found;
    }

    @Override
    public Generation register(Connection connection, String projection, int version, String reason) throws SQLException {
        List<Generation> existing = generations(connection, projection);
        int number = existing.stream().mapToInt(Generation::number).max().orElse(0) + 1;
        boolean live = existing.stream().noneMatch(g -> g.state() == Generation.State.LIVE);
        Generation.State state = live ? Generation.State.LIVE : Generation.State.BUILDING;
        // Microseconds, as both databases keep a TIMESTAMP: the generation returned equals the one read back.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + generations
                + " (projection, generation, version, state, requested_at, switched_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, projection);
            insert.setInt(2, number);
            insert.setInt(3, version);
            insert.setString(4, state.name());
            insert.setTimestamp(5, Timestamp.from(now));
            insert.setTimestamp(6, live ? Timestamp.from(now) : null);
            insert.setString(7, reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000));
            insert.executeUpdate();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                // Another runner registered this number first (two starting at once): the caller reads again.
                ConcurrentModificationException raced = new ConcurrentModificationException("projection " + projection
                        + ": another runner registered generation " + number + " meanwhile");
                raced.initCause(e);
                throw raced;
            }
            throw e;
        }
        return new Generation(projection, number, version, state, now);
    }

    @Override
    public boolean supersede(Connection connection, Generation building, String reason) throws SQLException {
        return transition(connection, building, Generation.State.BUILDING, Generation.State.RETIRED, reason);
    }

    @Override
    public boolean switchOver(Connection connection, Generation building, Generation live, Collection<TopicPartition> partitions,
                              Duration freeze) throws SQLException, InterruptedException {
        // The live generation's row first: two runners switching at once queue here, and the second finds it RETIRED.
        if (!lockGeneration(connection, live, Generation.State.LIVE) || !lockGeneration(connection, building, Generation.State.BUILDING)) {
            return false;
        }
        List<TopicPartition> ordered = new ArrayList<>(partitions);
        ordered.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        Timestamp now = Timestamp.from(Instant.now());
        // Every live checkpoint locked, in the claims' order (no deadlock with a live batch); a partition the live
        // generation never read gets one at 0 (= from the beginning), so a live batch cannot create it meanwhile.
        for (TopicPartition partition : ordered) {
            try (PreparedStatement lock = connection.prepareStatement("UPDATE " + checkpoints
                    + " SET next_offset = next_offset WHERE projection = ? AND generation = ? AND topic = ? AND partition_id = ?")) {
                bindKey(lock, 1, live, partition);
                if (lock.executeUpdate() == 1) {
                    continue;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + checkpoints
                    + " (updated_at, updated_by, projection, generation, topic, partition_id, next_offset) VALUES (?, ?, ?, ?, ?, ?, 0)")) {
                insert.setTimestamp(1, now);
                insert.setString(2, "switch-over to generation " + building.number());
                bindKey(insert, 3, live, partition);
                insert.executeUpdate();
            }
        }
        Map<TopicPartition, Long> liveAt = positions(connection, live, ordered);
        long deadline = System.nanoTime() + freeze.toNanos();
        while (!CheckpointStore.caughtUp(positions(connection, building, ordered), liveAt, ordered)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        if (!transition(connection, building, Generation.State.BUILDING, Generation.State.LIVE, null)) {
            return false;
        }
        return transition(connection, live, Generation.State.LIVE, Generation.State.RETIRED, null);
    }

    private boolean lockGeneration(Connection connection, Generation generation, Generation.State state) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("UPDATE " + generations
                + " SET state = state WHERE projection = ? AND generation = ? AND state = ?")) {
            lock.setString(1, generation.projection());
            lock.setInt(2, generation.number());
            lock.setString(3, state.name());
            return lock.executeUpdate() == 1;
        }
    }

    private boolean transition(Connection connection, Generation generation, Generation.State from, Generation.State to, String reason)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + generations
                + " SET state = ?, switched_at = ?, reason = COALESCE(?, reason) WHERE projection = ? AND generation = ? AND state = ?")) {
            update.setString(1, to.name());
            update.setTimestamp(2, Timestamp.from(Instant.now()));
            update.setString(3, reason);
            update.setString(4, generation.projection());
            update.setInt(5, generation.number());
            update.setString(6, from.name());
            return update.executeUpdate() == 1;
        }
    }

    @Override
    public void markDropped(Connection connection, Generation retired) throws SQLException {
        if (!transition(connection, retired, Generation.State.RETIRED, Generation.State.DROPPED, null)) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + checkpoints + " WHERE projection = ? AND generation = ?")) {
            delete.setString(1, retired.projection());
            delete.setInt(2, retired.number());
            delete.executeUpdate();
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + versions + " WHERE projection = ?")) {
            delete.setString(1, versionKey(retired));
            delete.executeUpdate();
        }
    }

    private static void bindKey(PreparedStatement statement, int first, Generation generation, TopicPartition partition)
            throws SQLException {
        statement.setString(first, generation.projection());
        statement.setInt(first + 1, generation.number());
        statement.setString(first + 2, partition.topic());
        statement.setInt(first + 3, partition.partition());
    }

    private static String versionKey(Generation generation) {
        return generation.projection() + "@g" + generation.number();
    }

    @Override
    public String toString() {
        return "JdbcCheckpointStore[" + checkpoints + ", " + generations + ", " + versions + "]";
    }
}
