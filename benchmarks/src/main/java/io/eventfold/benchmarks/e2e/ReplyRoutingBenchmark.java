package io.eventfold.benchmarks.e2e;

import io.eventfold.benchmarks.workload.InvoiceWorkload;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceAggregate;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.TopicLayout;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.kafka.client.GatewayReads;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * What a gateway reads to hear back, with 1, 4 and 16 gateways of one aggregate type sending at
 * once: with reply routing (each gateway reads its partitions of {@code <type>-replies}) and the
 * command-results way ({@code replyRouting(false)}: each reads the whole results topic). One
 * broker in its own JVM, one application under {@code exactly_once_v2}, the type's topics with 16
 * partitions. Every gateway sends the same number of invoice commands, at most 500 in flight
 * each; a gateway's reads are counted from its first command to its last answer, with
 * {@link CommandGateway#reads()}, and a routed gateway starts sending once the group has given it
 * a partition.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --only replies --reply-commands 2000
 * }</pre>
 */
public final class ReplyRoutingBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyRoutingBenchmark.class);
    private static final int PARTITIONS = 16;
    private static final int IN_FLIGHT = 500;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /**
     * One pass: how many gateways, whether routed, and what each read per command it sent.
     *
     * @param gateways the gateways sending at once
     * @param routed whether they route replies
     * @param commandsPerGateway the commands each sent
     * @param recordsPerGateway the records a gateway read, on average
     * @param bytesPerGateway the bytes a gateway read, on average
     * @param recordsPerCommand the records a gateway read per command it sent
     * @param bytesPerCommand the bytes a gateway read per command it sent
     */
    public record Pass(int gateways, boolean routed, long commandsPerGateway, double recordsPerGateway,
                       double bytesPerGateway, double recordsPerCommand, double bytesPerCommand) {
    }

    private final int commandsPerGateway;

    /**
     * A run whose gateways each send this many commands per pass.
     *
     * @param commandsPerGateway commands each gateway sends in a pass
     */
    public ReplyRoutingBenchmark(int commandsPerGateway) {
        this.commandsPerGateway = commandsPerGateway;
    }

    /**
     * Runs every pass on a broker of its own.
     *
     * @param workDir where the broker and the application keep their data
     * @return the passes, routed and not, for 1, 4 and 16 gateways
     * @throws Exception if the broker or the application cannot run
     */
    public List<Pass> run(Path workDir) throws Exception {
        List<Pass> passes = new ArrayList<>();
        try (BrokerProcess broker = BrokerProcess.start(workDir.resolve("broker"), Duration.ofMinutes(2))) {
            String bootstrap = broker.bootstrapServers();
            AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type = AggregateType.builder("replies-bench", new InvoiceAggregate())
                    .commands(InvoiceCommand.class).events(InvoiceEvent.class).state(Invoice.class).build();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicLayout.of(type).create(admin, PARTITIONS, (short) 1);
            }
            Properties props = EventfoldConfig.streams("replies-bench", bootstrap);
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(workDir.resolve("state")).toString());
            KafkaStreams streams = EventfoldStreams.start(props, type);
            try {
                StreamsRun.awaitRunning(streams);
                int pass = 0;
                for (int gateways : List.of(1, 4, 16)) {
                    for (boolean routed : List.of(true, false)) {
                        Pass result = pass(type, bootstrap, gateways, routed, "p" + pass++);
                        LOG.info("{}", result);
                        passes.add(result);
                    }
                }
            } finally {
                StreamsRun.close(streams);
            }
        }
        return passes;
    }

    private Pass pass(AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type, String bootstrap, int count, boolean routed,
                      String prefix) throws Exception {
        List<CommandGateway<InvoiceCommand, InvoiceEvent, Invoice>> gateways = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                gateways.add(CommandGateway.builder(type, bootstrap).timeout(TIMEOUT).replyRouting(routed).build());
            }
            if (routed) {
                awaitPartitions(gateways);
            }
            List<GatewayReads> before = gateways.stream().map(CommandGateway::reads).toList();
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> gateway = gateways.get(i);
                InvoiceWorkload workload = InvoiceWorkload.ofCommands(prefix + "-g" + i, Math.max(1, commandsPerGateway / 10),
                        commandsPerGateway);
                senders.add(CompletableFuture.runAsync(() -> send(gateway, workload)));
            }
            CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).join();
            long records = 0;
            long bytes = 0;
            long sent = (long) InvoiceWorkload.ofCommands("x", Math.max(1, commandsPerGateway / 10), commandsPerGateway).size();
            for (int i = 0; i < count; i++) {
                GatewayReads after = gateways.get(i).reads();
                records += after.records() - before.get(i).records();
                bytes += after.bytes() - before.get(i).bytes();
            }
            double recordsPerGateway = (double) records / count;
            double bytesPerGateway = (double) bytes / count;
            return new Pass(count, routed, sent, recordsPerGateway, bytesPerGateway, recordsPerGateway / sent, bytesPerGateway / sent);
        } finally {
            gateways.forEach(CommandGateway::close);
        }
    }

    /** Sends the workload with at most {@link #IN_FLIGHT} commands waiting, and waits for every answer. */
    private static void send(CommandGateway<InvoiceCommand, InvoiceEvent, Invoice> gateway, InvoiceWorkload workload) {
        List<CompletableFuture<CommandResult<InvoiceEvent, Invoice>>> window = new ArrayList<>();
        for (int i = 0; i < workload.size(); i++) {
            Command<InvoiceCommand> command = workload.command(i);
            window.add(gateway.send(command));
            if (window.size() >= IN_FLIGHT) {
                window.forEach(CompletableFuture::join);
                window.clear();
            }
        }
        window.forEach(CompletableFuture::join);
    }

    private static void awaitPartitions(List<CommandGateway<InvoiceCommand, InvoiceEvent, Invoice>> gateways)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (gateways.stream().anyMatch(gateway -> gateway.replyPartitions().isEmpty())
                || gateways.stream().mapToInt(gateway -> gateway.replyPartitions().size()).sum() != PARTITIONS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateways own no reply partitions after 2 minutes");
            }
            Thread.sleep(50);
        }
    }

    /**
     * The passes as a markdown table.
     *
     * @param passes the passes
     * @return the table
     */
    public static String table(List<Pass> passes) {
        StringBuilder table = new StringBuilder("| gateways | reads | commands per gateway | records read per gateway"
                + " | bytes read per gateway | records read per command sent | bytes read per command sent |\n"
                + "|---:|---|---:|---:|---:|---:|---:|\n");
        for (Pass pass : passes) {
            table.append(String.format(Locale.ROOT, "| %d | %s | %,d | %,.0f | %,.0f | %.2f | %,.0f |%n", pass.gateways(),
                    pass.routed() ? "reply routing" : "command-results", pass.commandsPerGateway(), pass.recordsPerGateway(),
                    pass.bytesPerGateway(), pass.recordsPerCommand(), pass.bytesPerCommand()));
        }
        return table.toString();
    }
}
