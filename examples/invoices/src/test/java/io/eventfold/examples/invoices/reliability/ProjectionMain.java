package io.eventfold.examples.invoices.reliability;

import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.examples.invoices.readmodel.ReadModel;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.json.JsonCodec;
import io.eventfold.kafka.projection.Delivery;
import io.eventfold.kafka.projection.Generation;
import io.eventfold.kafka.projection.Projection;
import io.eventfold.kafka.projection.ProjectionListener;
import io.eventfold.kafka.projection.ProjectionRunner;
import io.eventfold.kafka.projection.ProjectionStatus;
import io.eventfold.kafka.projection.jdbc.JdbcCheckpointStore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * The invoice example's real read model projections as their own process, for {@link ProjectionFaultIT}:
 * {@code ProjectionMain <bootstrap> <type name> <jdbc url> [--apply-delay-ms N] [--max-poll-records N] [--rebuild] [--instance NAME]}.
 * It prints what the test waits for and compares: {@code POSITIONS} (the checkpoints it starts
 * from), {@code BATCH APPLYING} inside each batch's transaction (then sleeps the apply delay, so
 * that a kill lands inside it), {@code BATCH COMMITTED} once the transaction committed, and
 * {@code CHECKPOINTS} twice a second (what the database holds), and {@code SWITCHED} when a
 * rebuilt generation goes live. {@code --rebuild} asks for a rebuild of the history projection.
 */
public final class ProjectionMain {

    static final String READY = "PROJECTION READY";
    static final String APPLYING = "BATCH APPLYING ";
    static final String COMMITTED = "BATCH COMMITTED ";
    static final String POSITIONS = "POSITIONS ";
    static final String CHECKPOINTS = "CHECKPOINTS ";
    static final String SWITCHED = "SWITCHED ";
    static final int PARTITIONS = 3;

    private ProjectionMain() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = StreamsMain.invoiceType(args[1]);
        String jdbcUrl = args[2];
        long applyDelayMs = 0;
        int maxPollRecords = 500;
        boolean rebuild = false;
        String instance = "main";
        for (int i = 3; i < args.length; i += 2) {
            if (args[i].equals("--rebuild")) {
                rebuild = true;
                i--;
            } else if (args[i].equals("--instance")) {
                instance = args[i + 1];
            } else if (args[i].equals("--apply-delay-ms")) {
                applyDelayMs = Long.parseLong(args[i + 1]);
            } else if (args[i].equals("--max-poll-records")) {
                maxPollRecords = Integer.parseInt(args[i + 1]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ReadModel readModel = new ReadModel(jdbcUrl, JsonCodec.defaultObjectMapper());
        readModel.createTables();
        JdbcCheckpointStore store = readModel.store();
        print(POSITIONS + checkpoints(store, ReadModel.LIST, type.topics().snapshots()));
        print(POSITIONS + checkpoints(store, ReadModel.HISTORY, type.topics().events()));

        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        // A static member: the restarted process takes the killed one's partitions at once, without
        // waiting for its session to expire.
        consumer.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
        consumer.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1500);
        ProjectionListener states = new ProjectionListener() {
            @Override
            public void onStateChange(ProjectionStatus before, ProjectionStatus now) {
                print("STATE " + now.projection() + " " + now.state() + " lag " + now.lag());
            }

            @Override
            public void onFailure(ProjectionStatus status, Throwable error) {
                print("FAILURE " + status.projection() + " " + status.state() + " " + error);
            }

            @Override
            public void onSwitch(Generation retired, Generation live) {
                print(SWITCHED + live.projection() + " g" + retired.number() + " -> g" + live.number());
            }
        };
        ProjectionRunner<Snapshot<Invoice>> list = ProjectionRunner.forSnapshots(type, bootstrap, ReadModel.LIST,
                        new Printing<>(ReadModel.LIST, readModel.invoiceList(), applyDelayMs), store)
                .withConsumerProperties(staticMember(consumer, instance + "-list")).addListener(states).start();
        ProjectionRunner<Event<InvoiceEvent>> history = ProjectionRunner.forEvents(type, bootstrap, ReadModel.HISTORY,
                        new Printing<>(ReadModel.HISTORY, readModel.history(), applyDelayMs), store)
                .withConsumerProperties(staticMember(consumer, instance + "-history")).addListener(states).start();
        if (rebuild) {
            history.rebuild();
            print("REBUILD REQUESTED " + ReadModel.HISTORY);
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Thread reporter = new Thread(() -> {
            try {
                while (stopped.getCount() > 0) {
                    print(CHECKPOINTS + checkpoints(store, ReadModel.LIST, type.topics().snapshots()));
                    print(CHECKPOINTS + checkpoints(store, ReadModel.HISTORY, type.topics().events()));
                    Thread.sleep(500);
                }
            } catch (Exception e) {
                print("REPORTER STOPPED " + e);
            }
        }, "checkpoint-reporter");
        reporter.setDaemon(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            history.close();
            list.close();
        }));
        print(READY);
        reporter.start();
        stopped.await();
    }

    private static Properties staticMember(Properties consumer, String which) {
        Properties props = new Properties();
        props.putAll(consumer);
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "projection-" + which);
        return props;
    }

    /** {@code <projection> 0=<next> 1=<next> 2=<next>}, -1 where the live generation has no checkpoint (or there is none yet). */
    private static String checkpoints(JdbcCheckpointStore store, String projection, String topic) throws Exception {
        return store.inTransaction(connection -> {
            Map<Integer, Long> next = new TreeMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                next.put(p, -1L);
            }
            Optional<Generation> live = store.generations(connection, projection).stream()
                    .filter(generation -> generation.state() == Generation.State.LIVE).findFirst();
            if (live.isPresent()) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
                store.positions(connection, live.get(), partitions).forEach((partition, offset) -> next.put(partition.partition(), offset));
            }
            StringBuilder line = new StringBuilder(projection);
            next.forEach((partition, offset) -> line.append(' ').append(partition).append('=').append(offset));
            return line.toString();
        });
    }

    private static void print(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** The real projection, with a line before each batch (inside its transaction) and one after its commit. */
    private static final class Printing<T> implements Projection<Connection, T> {

        private final String name;
        private final Projection<Connection, T> delegate;
        private final long applyDelayMs;

        Printing(String name, Projection<Connection, T> delegate, long applyDelayMs) {
            this.name = name;
            this.delegate = delegate;
            this.applyDelayMs = applyDelayMs;
        }

        /** The delegate's: the version decides which generation the runner feeds and readers read. */
        @Override
        public int version() {
            return delegate.version();
        }

        @Override
        public void createTables(Connection session, Generation generation) throws Exception {
            delegate.createTables(session, generation);
        }

        @Override
        public void apply(Connection session, Generation generation, List<Delivery<T>> batch) throws Exception {
            delegate.apply(session, generation, batch);
            print(APPLYING + name + " g" + generation.number() + ranges(batch, true));
            if (applyDelayMs > 0) {
                Thread.sleep(applyDelayMs);
            }
        }

        @Override
        public void dropTables(Connection session, Generation generation) throws Exception {
            delegate.dropTables(session, generation);
        }

        @Override
        public void committed(Generation generation, List<Delivery<T>> batch) {
            print(COMMITTED + name + " g" + generation.number() + ranges(batch, false));
            delegate.committed(generation, batch);
        }

        /** {@code p@first-last} per partition, or {@code p@last+1} (the next offset) after the commit. */
        private static <T> String ranges(List<Delivery<T>> batch, boolean applying) {
            Map<Integer, long[]> byPartition = new TreeMap<>();
            for (Delivery<T> delivery : batch) {
                long[] range = byPartition.computeIfAbsent(delivery.partition(), p -> new long[] {Long.MAX_VALUE, -1});
                range[0] = Math.min(range[0], delivery.offset());
                range[1] = Math.max(range[1], delivery.offset());
            }
            StringBuilder text = new StringBuilder();
            byPartition.forEach((partition, range) -> text.append(' ').append(partition).append('@')
                    .append(applying ? range[0] + "-" + range[1] : String.valueOf(range[1] + 1)));
            return text.toString();
        }
    }
}
