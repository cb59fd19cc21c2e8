package io.eventfold.benchmarks.e2e;

import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceAggregate;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldStreams;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One application instance of the several-instances pass, in a JVM of its own: starts
 * {@link EventfoldStreams} on an invoice aggregate type with the end-to-end pass's streams settings
 * ({@link EventfoldConfig#streams}, {@code exactly_once_v2}) and its own state directory, prints
 * a status line ({@link #STATUS}) whenever its state or its task counts change, the first
 * {@code RUNNING} one being its ready line, and closes (leaving the group) on SIGTERM.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.eventfold.benchmarks.e2e.InstanceMain localhost:9092 instances-2 /tmp/state-0
 * }</pre>
 */
public final class InstanceMain {

    /**
     * Starts every status line: {@code EVENTFOLD INSTANCE <state> active=<tasks> standby=<tasks>}.
     */
    public static final String STATUS = "EVENTFOLD INSTANCE ";

    private InstanceMain() {
    }

    /**
     * The invoice aggregate type a pass runs on, named for the pass so that passes share no topic.
     *
     * <pre>{@code
     * AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = InstanceMain.invoiceType("instances-3");
     * }</pre>
     *
     * @param name the type's name, which its topics start with; also the application id
     * @return the type
     */
    public static AggregateType<InvoiceCommand, InvoiceEvent, Invoice> invoiceType(String name) {
        return AggregateType.builder(name, new InvoiceAggregate())
                .commands(InvoiceCommand.class).events(InvoiceEvent.class).state(Invoice.class).build();
    }

    /**
     * Runs the instance until SIGTERM; exits with status 1 if the application stops by itself.
     *
     * @param args the bootstrap servers, the type's name (also the application id) and the state directory
     * @throws Exception if the application cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("expected <bootstrap servers> <type name> <state dir> but got "
                    + args.length + " arguments");
        }
        Properties props = EventfoldConfig.streams(args[1], args[0]);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(Path.of(args[2])).toString());
        KafkaStreams streams = EventfoldStreams.start(props, invoiceType(args[1]));
        // Set first on SIGTERM: from then on the instance stopping is expected, not a failure.
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            StreamsRun.close(streams);
            System.out.println(STATUS + "STOPPED");
        }, "instance-shutdown"));
        String last = "";
        while (!stopping.get()) {
            KafkaStreams.State state = streams.state();
            if ((state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) && !stopping.get()) {
                System.out.println(STATUS + state + " active=0 standby=0");
                System.exit(1);
            }
            String status = status(streams, state);
            if (!status.equals(last)) {
                System.out.println(STATUS + status);
                last = status;
            }
            Thread.sleep(50);
        }
    }

    /** The state and the tasks this instance owns; tasks are read only while it runs or rebalances. */
    private static String status(KafkaStreams streams, KafkaStreams.State state) {
        int active = 0;
        int standby = 0;
        if (state.isRunningOrRebalancing()) {
            try {
                for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
                    active += thread.activeTasks().size();
                    standby += thread.standbyTasks().size();
                }
            } catch (IllegalStateException stoppedMeanwhile) {
                // The instance is closing: the next round reports its state.
            }
        }
        return state + " active=" + active + " standby=" + standby;
    }
}
