package io.eventfold.examples.invoices.broker;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link EmbeddedBroker} as its own process, for tests and benchmarks that need Kafka in
 * another JVM than the one they measure or kill. Prints {@code BROKER READY <bootstrap>} once it
 * serves requests, and stops on SIGTERM.
 *
 * <pre>{@code
 * java -cp <classpath> io.eventfold.examples.invoices.broker.BrokerMain ./data/kafka 9092
 * }</pre>
 */
public final class BrokerMain {

    /** The line printed once the broker serves requests, followed by its bootstrap address. */
    public static final String READY = "BROKER READY ";

    private BrokerMain() {
    }

    /**
     * Starts the broker.
     *
     * @param args the data directory, and the port (0 for a free one)
     * @throws InterruptedException when interrupted while running
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: BrokerMain <data-dir> <port>");
            System.exit(2);
        }
        EmbeddedBroker broker = EmbeddedBroker.builder(Path.of(args[0])).port(Integer.parseInt(args[1])).build();
        broker.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        System.out.println(READY + broker.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
