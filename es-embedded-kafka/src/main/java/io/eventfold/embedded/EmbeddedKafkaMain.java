package io.eventfold.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link EmbeddedKafka} broker as its own process, for tests and benchmarks that need
 * Kafka in another JVM than the one they measure or kill. Prints {@code BROKER READY <bootstrap>}
 * on a line of its own once the broker serves requests, and stops cleanly on SIGTERM.
 *
 * <pre>{@code
 * java -cp <classpath> io.eventfold.embedded.EmbeddedKafkaMain ./data/kafka 9092
 * java -cp <classpath> io.eventfold.embedded.EmbeddedKafkaMain ./data/kafka 0 log.retention.hours=1
 * }</pre>
 *
 * <p>Arguments: the data directory, the port (0 for a free one), then any number of broker
 * properties as {@code key=value}. A parent process reads the child's output up to the line
 * starting with {@link #READY}; the rest of that line is the bootstrap address.
 */
public final class EmbeddedKafkaMain {

    /** The start of the line printed once the broker serves requests, followed by its bootstrap address. */
    public static final String READY = "BROKER READY ";

    private static final String USAGE = "usage: EmbeddedKafkaMain <data-dir> <port> [key=value ...]";

    private EmbeddedKafkaMain() {
    }

    /**
     * Starts the broker and runs it until the process is stopped.
     *
     * @param args the data directory, the port (0 for a free one), and broker properties as {@code key=value}
     * @throws InterruptedException when interrupted while running
     */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafka broker;
        try {
            broker = builder(args).build();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        try {
            broker.start();
        } catch (EmbeddedKafkaException e) {
            // Exit for sure: a thread Kafka left behind must not keep a broken child alive.
            e.printStackTrace();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "embedded-kafka-shutdown"));
        System.out.println(READY + broker.bootstrapServers());
        System.out.flush();
        stopped.await();
    }

    /**
     * The broker the arguments describe.
     *
     * @param args as for {@link #main}
     * @return its builder
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    static EmbeddedKafka.Builder builder(String... args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("expected a data directory and a port but got " + List.of(args));
        }
        int port;
        try {
            port = Integer.parseInt(args[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number: " + args[1], e);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        for (String property : List.of(args).subList(2, args.length)) {
            int equals = property.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("broker property is not key=value: " + property);
            }
            properties.put(property.substring(0, equals), property.substring(equals + 1));
        }
        return EmbeddedKafka.builder().dataDir(Path.of(args[0])).port(port).brokerProperties(properties);
    }
}
