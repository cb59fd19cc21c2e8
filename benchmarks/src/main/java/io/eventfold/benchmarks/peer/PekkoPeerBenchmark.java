package io.eventfold.benchmarks.peer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.eventfold.benchmarks.e2e.EndToEndBenchmark;
import io.eventfold.benchmarks.e2e.LoadSchedule;
import io.eventfold.benchmarks.report.LoadResult;
import io.eventfold.benchmarks.report.Summary;
import io.eventfold.benchmarks.report.TopicBytes;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pass of the end-to-end workload on the peer: Apache Pekko Persistence (typed
 * {@code EventSourcedBehavior}) with the JDBC journal on PostgreSQL. The entities, their client and
 * the load generator share this JVM, as Eventfold's application does; PostgreSQL is its own
 * process ({@code benchmarks/run.sh} starts it and applies the plugin's schema). A pass empties the
 * journal's tables, starts an actor system from {@code pekko-peer.conf}, sends the same
 * {@link LoadSchedule} as the Kafka passes, terminates the system, and measures the journal table.
 *
 * <pre>{@code
 * PekkoPeerBenchmark peer = new PekkoPeerBenchmark(settings,
 *         new PekkoPeerBenchmark.Database("jdbc:postgresql://127.0.0.1:5433/postgres", "pekko"));
 * LoadResult first = peer.pass("pekko-1");
 * }</pre>
 */
public final class PekkoPeerBenchmark {

    /** The implementation name of its passes in the report. */
    public static final String IMPLEMENTATION = Summary.PEER;
    /** What a command's result waits for: the INSERT of its events committed by the local PostgreSQL. */
    public static final String GUARANTEE = "postgresql-commit";

    private static final Logger LOG = LoggerFactory.getLogger(PekkoPeerBenchmark.class);
    /** Every table of the plugin's PostgreSQL schema, emptied before each pass. */
    private static final String TABLES = "event_journal, event_tag, snapshot, durable_state";

    private final EndToEndBenchmark.Settings settings;
    private final Database database;

    /**
     * The PostgreSQL database that holds the plugin's schema.
     *
     * @param jdbcUrl e.g. {@code jdbc:postgresql://127.0.0.1:5433/postgres}
     * @param user a user that may write and truncate the tables; no password (trust authentication)
     */
    public record Database(String jdbcUrl, String user) {

        /**
         * Validates the components.
         *
         * @param jdbcUrl the JDBC URL
         * @param user the user
         * @throws IllegalArgumentException if either is blank or the URL is not a PostgreSQL one
         */
        public Database {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("the Pekko peer's JDBC URL must start with jdbc:postgresql: but was " + jdbcUrl);
            }
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("the Pekko peer's database user must not be blank");
            }
        }
    }

    /**
     * A peer with the end-to-end settings.
     *
     * @param settings the same invoices, commands, warm-up, in-flight bound and half-rate limit as the Kafka passes
     * @param database where the journal is
     */
    public PekkoPeerBenchmark(EndToEndBenchmark.Settings settings, Database database) {
        this.settings = settings;
        this.database = database;
    }

    /**
     * Runs one pass on an empty journal.
     *
     * @param name the pass's name, which starts every invoice id, e.g. {@code pekko-1}
     * @return the pass; no replay, and the journal table (with its indexes) as its only "topic"
     * @throws SQLException if PostgreSQL cannot be reached or lacks the schema
     * @throws InterruptedException if interrupted
     */
    public LoadResult pass(String name) throws SQLException, InterruptedException {
        execute("TRUNCATE " + TABLES + " RESTART IDENTITY");
        Config config = config();
        LOG.info("{}: starting Pekko on {} (journal bufferSize={}, batchSize={}, parallelism={}; pool of {} connections)",
                name, database.jdbcUrl(), config.getInt("jdbc-journal.bufferSize"), config.getInt("jdbc-journal.batchSize"),
                config.getInt("jdbc-journal.parallelism"), config.getInt("jdbc-journal.slick.db.maxConnections"));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "pekko-peer", config);
        LoadSchedule.Runs runs;
        try (PekkoCommandClient client = new PekkoCommandClient(system)) {
            runs = new LoadSchedule(settings).run(client, name);
        } finally {
            terminate(system);
        }
        long journalBytes = journalBytes();
        LOG.info("{}: {} bytes in the journal table per command over {} commands", name,
                String.format(Locale.ROOT, "%,.0f", (double) journalBytes / runs.commandsSent()), runs.commandsSent());
        List<TopicBytes> bytes = List.of(new TopicBytes("journal table", "event_journal", journalBytes,
                (double) journalBytes / runs.commandsSent()));
        return new LoadResult(IMPLEMENTATION, GUARANTEE, 0, runs.commands(), settings.maxInFlight(), runs.commandsPerSecond(),
                runs.latency(), runs.halfRateCommands(), runs.halfRate(), runs.halfRateLatency(), runs.failures(), null,
                runs.commandsSent(), bytes, Map.of(), Double.NaN);
    }

    /** {@code pekko-peer.conf} with the database's URL and user, over Pekko's and the plugin's defaults. */
    private Config config() {
        return ConfigFactory.parseMap(Map.of("slick.db.url", database.jdbcUrl(), "slick.db.user", database.user()))
                .withFallback(ConfigFactory.parseResources("pekko-peer.conf"))
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    private static void terminate(ActorSystem<Void> system) throws InterruptedException {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("the Pekko actor system did not terminate within a minute", e);
        }
    }

    /** The journal table's size on disk: its heap, TOAST and indexes. */
    private long journalBytes() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet size = statement.executeQuery("SELECT pg_total_relation_size('event_journal')")) {
            size.next();
            return size.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new SQLException("'" + sql + "' failed on " + database.jdbcUrl() + " (does it have the schema "
                    + "schema/postgres/postgres-create-schema.sql of pekko-persistence-jdbc? benchmarks/run.sh applies it): "
                    + e.getMessage(), e.getSQLState(), e);
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", database.user());
        return DriverManager.getConnection(database.jdbcUrl(), properties);
    }
}
