package io.eventfold.testkit;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.EventSourcedTopology;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.client.AggregateStore;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.kafka.projection.Delivery;
import io.eventfold.kafka.projection.Generation;
import io.eventfold.kafka.projection.Projection;
import io.eventfold.kafka.projection.ProjectionRunner;
import io.eventfold.kafka.projection.jdbc.JdbcCheckpointStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Micrometer and OpenTelemetry are optional: this module has neither on its class path (es-kafka
 * declares both optional), and the topology, a gateway and a projection runner work on a real
 * broker all the same: no meter, and the trace headers of a command copied to its outputs as they
 * are.
 */
class OptionalDependenciesIT {

    @RegisterExtension
    static final EventfoldKafka kafka = EventfoldKafka.running(Accounts.TYPE).partitions(1);

    @Test
    void theClassPathHasNeitherMicrometerNorOpenTelemetry() {
        assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.opentelemetry.api.OpenTelemetry"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void aRegistryConfiguredWithoutMicrometerIsAnErrorNamingTheSetting(@TempDir Path stateDir) {
        Properties props = EventfoldConfig.streams("optional-test", "localhost:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(EventfoldConfig.METER_REGISTRY_CONFIG, new Object());

        assertThatThrownBy(() -> new TopologyTestDriver(EventSourcedTopology.of(Accounts.TYPE), props).close())
                .hasStackTraceContaining(EventfoldConfig.METER_REGISTRY_CONFIG + " holds a java.lang.Object, but Micrometer")
                .hasStackTraceContaining("is not on the class path");
    }

    @Test
    void theEntryPointsCanBeReflectedOnWithoutThem() {
        // What a framework does to a bean's class (Spring reads every declared method): a method
        // naming a type that is not there would throw NoClassDefFoundError here.
        for (Class<?> type : List.of(ProjectionRunner.class, CommandGateway.class,
                EventfoldStreams.class, EventSourcedTopology.class, AggregateStore.class)) {
            assertThat(type.getDeclaredMethods()).as("declared methods of %s", type.getName()).isNotNull();
        }
    }

    @Test
    void theTraceparentOfACommandReachesItsEventAsItIs() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Command<AccountCommand> open = new Command<>("traced-1", "acc-traced", ExpectedVersion.noStream(), new Open("bob"), Map.of());
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventfoldHeaders.COMMAND_ID, open.commandId().getBytes(StandardCharsets.UTF_8));
        headers.add(EventfoldHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(EventfoldConfig.commandProducer(kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Accounts.TYPE.topics().commands(), null, open.aggregateId(),
                    Accounts.TYPE.serdes().commands().serializer().serialize("", open), headers)).get();
        }

        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "traced-" + UUID.randomUUID()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Accounts.TYPE.topics().events()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Header found = null;
            while (found == null) {
                assertThat(System.nanoTime()).as("the event of acc-traced committed within 60 s").isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals("acc-traced")) {
                        found = record.headers().lastHeader(EventfoldHeaders.TRACEPARENT);
                        assertThat(found).as("traceparent of the event").isNotNull();
                    }
                }
            }
            assertThat(new String(found.value(), StandardCharsets.UTF_8)).isEqualTo(traceparent);
        }
    }

    @Test
    void aCommandIsAnsweredAndProjectedWithoutThem() throws Exception {
        String url = "jdbc:h2:mem:optional;DB_CLOSE_DELAY=-1";
        JdbcCheckpointStore store = JdbcCheckpointStore.of(() -> DriverManager.getConnection(url));
        CommandGateway<AccountCommand, AccountEvent, Account> gateway = kafka.gateway(Accounts.TYPE);
        CommandResult<AccountEvent, Account> result = gateway.send("acc-plain", new Open("alice"), ExpectedVersion.noStream()).join();
        assertThat(result.kind()).isEqualTo(CommandResult.Kind.ACCEPTED);

        try (ProjectionRunner<Event<AccountEvent>> runner = ProjectionRunner
                .forEvents(Accounts.TYPE, kafka.bootstrapServers(), "plain-owners", new Owners(), store).start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (owner(url, runner) == null) {
                assertThat(System.nanoTime()).as("the projection applied the event within 60 s").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(owner(url, runner)).isEqualTo("alice");
        }
    }

    private static String owner(String url, ProjectionRunner<?> runner) throws SQLException {
        if (runner.applied() == 0) {
            return null;
        }
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT owner FROM owners_g1 WHERE account = 'acc-plain'")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    /** The owner of each opened account. */
    private static final class Owners implements Projection<Connection, Event<AccountEvent>> {

        @Override
        public void createTables(Connection connection, Generation generation) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + generation.table("owners")
                        + " (account VARCHAR(100) PRIMARY KEY, owner VARCHAR(100))");
            }
        }

        @Override
        public void apply(Connection connection, Generation generation, List<Delivery<Event<AccountEvent>>> batch) throws SQLException {
            for (Delivery<Event<AccountEvent>> delivery : batch) {
                if (delivery.value().payload() instanceof AccountEvent.Opened opened) {
                    try (PreparedStatement insert = connection.prepareStatement("MERGE INTO " + generation.table("owners")
                            + " (account, owner) KEY (account) VALUES (?, ?)")) {
                        insert.setString(1, delivery.value().aggregateId());
                        insert.setString(2, opened.owner());
                        insert.executeUpdate();
                    }
                }
            }
        }

        @Override
        public void dropTables(Connection connection, Generation generation) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + generation.table("owners"));
            }
        }
    }
}
