package io.eventfold.examples.invoices;

import io.eventfold.embedded.EmbeddedKafka;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.TopicLayout;
import io.eventfold.kafka.client.AggregateStore;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.kafka.client.HttpStoreTransport;
import io.eventfold.kafka.json.JsonCodec;
import io.eventfold.kafka.projection.ProjectionRunner;
import io.eventfold.kafka.projection.ProjectionTelemetry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.examples.invoices.account.Account;
import io.eventfold.examples.invoices.account.AccountCommand;
import io.eventfold.examples.invoices.account.AccountEvent;
import io.eventfold.examples.invoices.app.AppConfig;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.examples.invoices.http.EventStream;
import io.eventfold.examples.invoices.http.InvoiceApi;
import io.eventfold.examples.invoices.http.MetricsEndpoint;
import io.eventfold.examples.invoices.http.ProjectionEvents;
import io.eventfold.examples.invoices.http.ProjectionHealth;
import io.eventfold.examples.invoices.readmodel.AccountBalances;
import io.eventfold.examples.invoices.readmodel.ReadModel;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The invoice service: Kafka (an embedded broker unless {@code KAFKA_BOOTSTRAP_SERVERS} is
 * set), the invoice and account topology, a read model kept by three projections (H2, or PostgreSQL shared by
 * every instance when {@code JDBC_URL} points at it), and a REST API with a web page on port
 * 8080; the current state of any invoice is read from whichever instance hosts it, through an
 * {@link HttpStoreTransport} on {@code STORE_PORT}, and every read-model change reaches the pages
 * of every instance. Its meters (Eventfold's, the JVM's and Kafka Streams') are served at
 * {@code /metrics} in Prometheus' text format.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples/invoices -am test-compile -Prun
 * }</pre>
 */
public final class InvoicesApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InvoicesApp.class);

    private final List<AutoCloseable> running = new ArrayList<>();
    private final String bootstrapServers;
    private final InvoiceApi api;

    private InvoicesApp(AppConfig config) throws Exception {
        try {
            // One registry for the whole service, served at /metrics; closed last, after every part that reports to it.
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            running.add(meters::close);
            new JvmMemoryMetrics().bindTo(meters);
            new ProcessorMetrics().bindTo(meters);
            if (config.bootstrapServers().isPresent()) {
                bootstrapServers = config.bootstrapServers().get();
            } else {
                EmbeddedKafka broker = EmbeddedKafka.builder().dataDir(config.dataDir().resolve("kafka")).port(config.kafkaPort()).build();
                running.add(broker);
                bootstrapServers = broker.start().bootstrapServers();
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                TopicLayout.of(Invoices.TYPE, Accounts.TYPE, Accounts.INVOICE_ACCOUNTS).create(admin, config.partitions(), config.replicationFactor());
            }
            // Other instances read this one's stores here: application.server tells them where.
            HttpStoreTransport transport = HttpStoreTransport.start(config.storePort());
            running.add(transport);
            Properties props = streamsProperties(config, bootstrapServers);
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.advertisedHost() + ":" + transport.port());
            props.put(EventfoldConfig.METER_REGISTRY_CONFIG, meters);
            KafkaStreams streams = EventfoldStreams.start(props, Invoices.TYPE, Accounts.TYPE, Accounts.INVOICE_ACCOUNTS);
            running.add(() -> streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30))));
            // Kafka Streams' own client metrics (threads, tasks, its producer and consumers) beside Eventfold's.
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(meters);
            running.add(streamsMetrics);
            AggregateStore<InvoiceCommand, InvoiceEvent, Invoice> store = AggregateStore.of(streams, Invoices.TYPE, transport);
            running.add(store);
            AggregateStore<AccountCommand, AccountEvent, Account> accounts = AggregateStore.of(streams, Accounts.TYPE, transport);
            running.add(accounts);
            CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> gateway = CommandGateway.builder(Invoices.TYPE, bootstrapServers)
                    // The API answers an accepted command with the new state (docs/client.md).
                    .timeout(Duration.ofSeconds(10)).resultsWithState(true).meterRegistry(meters).build();
            running.add(gateway);

            ObjectMapper mapper = JsonCodec.defaultObjectMapper();
            ReadModel readModel = new ReadModel(config.jdbcUrl(), mapper);
            running.add(readModel);
            readModel.createTables();
            if (config.bootstrapServers().isPresent() && !readModel.shared()) {
                LOG.warn("the read model is this instance's own database ({}): other instances of invoice-service on this cluster"
                        + " would each keep only their share of the invoices in theirs; point JDBC_URL of all of them at one"
                        + " PostgreSQL database", config.jdbcUrl());
            }
            EventStream stream = new EventStream();
            // Every committed change of the read model, whichever instance applied it, reaches this instance's pages.
            readModel.listen(change -> stream.publish(change.view().eventName(), json(mapper, change)));
            ProjectionEvents events = new ProjectionEvents(stream, mapper);
            ProjectionTelemetry telemetry = ProjectionTelemetry.create().meterRegistry(meters);
            ProjectionRunner<Snapshot<Invoice>> list = ProjectionRunner.forSnapshots(Invoices.TYPE, bootstrapServers,
                    ReadModel.LIST, readModel.invoiceList(), readModel.store()).withTelemetry(telemetry).addListener(events).start();
            running.add(list);
            ProjectionRunner<Event<InvoiceEvent>> history = ProjectionRunner.forEvents(Invoices.TYPE, bootstrapServers,
                    ReadModel.HISTORY, readModel.history(), readModel.store()).withTelemetry(telemetry).addListener(events).start();
            running.add(history);
            ProjectionRunner<Snapshot<Account>> balances = ProjectionRunner.forSnapshots(Accounts.TYPE, bootstrapServers,
                    AccountBalances.NAME, readModel.balances().projection(), readModel.store()).withTelemetry(telemetry)
                    .addListener(events).start();
            running.add(balances);
            ProjectionHealth health = new ProjectionHealth(List.of(list, history, balances), mapper);
            api = new InvoiceApi(gateway, store, accounts, readModel, health, streams::state, stream, new MetricsEndpoint(meters),
                    mapper, config.httpPort());
            running.add(api);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Starts the service and returns once it serves requests.
     *
     * @param config where to run
     * @return the running service; close it to stop
     * @throws Exception when a part cannot start; the parts already started are stopped
     */
    public static InvoicesApp start(AppConfig config) throws Exception {
        return new InvoicesApp(config);
    }

    /**
     * Starts the service with the configuration of the environment and runs it until Ctrl-C.
     *
     * @param args ignored
     * @throws Exception when the service cannot start
     */
    public static void main(String[] args) throws Exception {
        AppConfig config = AppConfig.fromEnvironment(System.getenv());
        InvoicesApp app = start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the invoice service…");
            app.close();
            stopped.countDown();
        }, "invoices-shutdown"));
        System.out.println();
        System.out.println("Invoices is running at " + app.url() + "  (Kafka at " + app.bootstrapServers()
                + ", data in " + config.dataDir() + "; Ctrl-C stops it)");
        stopped.await();
    }

    /**
     * Where the web page and the API are served.
     *
     * @return the base URL, e.g. {@code http://localhost:8080}
     */
    public String url() {
        return "http://localhost:" + api.port();
    }

    /**
     * The Kafka cluster the service uses.
     *
     * @return the bootstrap servers
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    private static Properties streamsProperties(AppConfig config, String bootstrapServers) {
        Properties props = EventfoldConfig.streams("invoice-service", bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.dataDir().resolve("streams").toString());
        if (config.bootstrapServers().isEmpty()) {
            // One embedded broker, one instance: nowhere to keep standby replicas.
            props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        }
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        return props;
    }

    private static String json(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the parts in the reverse order of their start. */
    @Override
    public synchronized void close() {
        List<AutoCloseable> parts = new ArrayList<>(running);
        Collections.reverse(parts);
        running.clear();
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("could not stop {} cleanly", part, e);
            }
        }
    }
}
