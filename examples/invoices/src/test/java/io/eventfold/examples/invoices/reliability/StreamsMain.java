package io.eventfold.examples.invoices.reliability;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceAggregate;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/** The invoice topology as its own process: {@code StreamsMain <bootstrap> <type name> <application id> <state dir>}. */
public final class StreamsMain {

    static final String READY = "STREAMS READY";

    private StreamsMain() {
    }

    static AggregateType<InvoiceCommand, InvoiceEvent, Invoice> invoiceType(String name) {
        return AggregateType.builder(name, new InvoiceAggregate())
                .commands(InvoiceCommand.class).events(InvoiceEvent.class).state(Invoice.class).build();
    }

    public static void main(String[] args) throws Exception {
        Properties props = EventfoldConfig.streams(args[2], args[0]);
        props.put(StreamsConfig.STATE_DIR_CONFIG, args[3]);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // A killed instance leaves the group after this, so the partitions move on quickly.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1500);
        KafkaStreams streams = EventfoldStreams.start(props, invoiceType(args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            stopped.countDown();
        }));
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                System.out.println("STREAMS FAILED " + streams.state());
                System.exit(1);
            }
            Thread.sleep(50);
        }
        System.out.println(READY);
        System.out.flush();
        stopped.await();
    }
}
