package io.eventfold.kafka.workflow;

import io.eventfold.core.Command;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.ChildJvm;
import io.eventfold.kafka.Cluster;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.TopicLayout;
import io.eventfold.kafka.audit.AuditReport;
import io.eventfold.kafka.audit.DeadlineCounts;
import io.eventfold.kafka.audit.LogAudit;
import io.eventfold.kafka.audit.ProcessManagerCounts;
import io.eventfold.kafka.workflow.Tickets.TicketCommand;
import io.eventfold.kafka.workflow.Tickets.TicketEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import static io.eventfold.kafka.workflow.Tickets.ACCOUNTS;
import static io.eventfold.kafka.workflow.Tickets.BILLING;
import static io.eventfold.kafka.workflow.Tickets.TICKETS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deadlines and a process manager under {@code kill -9}: a streams JVM runs tickets, accounts and
 * the billing manager while a load opens tickets whose expiry falls due all along the run (many
 * while the JVM is down) and closes a third of them; the JVM is killed four times, each time just
 * after a deadline fired and the manager sent a command in a transaction still open, and started
 * again on its state directory. Afterwards {@code LogAudit} finds every deadline fired once and
 * every command of the manager derived, sent and handled once, and the accounts say each expired
 * ticket was charged once.
 */
class WorkflowKillIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    static final String APP = "workflow-kill";
    static final int OWNERS = 8;
    static final long FUNDS = 100_000;
    static final int TICKETS_PER_SECOND = 6;
    static final Duration LOAD = Duration.ofSeconds(40);
    static final int KILLS = 4;

    @TempDir
    Path stateDir;

    /** The child JVM: the three parts of the workflow, transactions of up to a second, deadlines checked every 100 ms. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Properties props = EventfoldConfig.streams(APP, args[0]);
            props.put("state.dir", args[1]);
            props.put("num.standby.replicas", 0);
            // Long transactions, so that a kill finds fired deadlines and sent commands not yet committed.
            props.put("commit.interval.ms", 1000);
            // The killed member leaves the group after this, not after the default 45 s.
            props.put("session.timeout.ms", 6000);
            props.put(EventfoldConfig.DEADLINE_TICK_MS_CONFIG, "100");
            KafkaStreams streams = EventfoldStreams.start(props, TICKETS, ACCOUNTS, BILLING);
            while (streams.state() != KafkaStreams.State.RUNNING) {
                Thread.sleep(20);
            }
            System.out.println("RUNNING");
            new CountDownLatch(1).await();
        }
    }

    @Test
    void everyDeadlineFiresOnceAndEveryManagerCommandIsHandledOnceAcrossKills() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicLayout.of(TICKETS, ACCOUNTS, BILLING).create(admin, 3, (short) 1);
        }
        long started = System.nanoTime();
        List<Instant[]> downtimes = new ArrayList<>();
        ChildJvm child = ChildJvm.start("workflow-0", Child.class, kafka.bootstrapServers(), stateDir.toString());
        Load load;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(EventfoldConfig.commandProducer(kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
             Watcher watcher = new Watcher()) {
            fundAccounts(producer);
            child.awaitLine("RUNNING"::equals, Duration.ofSeconds(90));
            load = new Load(producer, Instant.now());
            Thread loader = new Thread(load, "load");
            loader.start();
            for (int kill = 1; kill <= KILLS; kill++) {
                Thread.sleep(kill == 1 ? 8000 : 1500);
                watcher.awaitOpenTransaction(Duration.ofSeconds(60));
                child.kill();
                Instant killed = Instant.now();
                child = ChildJvm.start("workflow-" + kill, Child.class, kafka.bootstrapServers(), stateDir.toString());
                child.awaitLine("RUNNING"::equals, Duration.ofSeconds(90));
                downtimes.add(new Instant[] {killed, Instant.now()});
            }
            loader.join();
            assertThat(load.failure()).isNull();
        }
        try {
            awaitQuiet(load);

            List<Event<TicketEvent>> ticketEvents = events(TICKETS.topics().events(), TICKETS.serdes().events().deserializer()::deserialize);
            List<Event<AccountEvent>> accountEvents = events(ACCOUNTS.topics().events(), ACCOUNTS.serdes().events().deserializer()::deserialize);
            Map<String, String> status = ticketStatus(ticketEvents);
            assertThat(status).as("every ticket closed or expired").hasSize(load.tickets())
                    .allSatisfy((ticket, state) -> assertThat(state).as(ticket).isIn("CLOSED", "EXPIRED"));
            List<Event<TicketEvent>> expiries = ticketEvents.stream().filter(event -> event.payload() instanceof Tickets.Expired).toList();
            assertThat(expiries).extracting(Event::aggregateId).doesNotHaveDuplicates();

            // Each expired ticket charged once, by the command the manager derives from its expiry; each ticket's
            // refused Open (the account was funded first) answered by one deposit of 1.
            Map<String, Long> withdrawals = accountEvents.stream().filter(event -> event.payload() instanceof AccountEvent.Withdrawn)
                    .collect(Collectors.groupingBy(Event::commandId, Collectors.counting()));
            assertThat(withdrawals).isEqualTo(expiries.stream().collect(Collectors.toMap(
                    expiry -> "ticket-billing/ticket/" + expiry.aggregateId() + "/" + expiry.version() + "/0", expiry -> 1L)));
            Map<String, Long> refunds = accountEvents.stream().filter(event -> event.payload() instanceof AccountEvent.Deposited)
                    .filter(event -> event.commandId().startsWith("ticket-billing/"))
                    .collect(Collectors.groupingBy(Event::commandId, Collectors.counting()));
            assertThat(refunds).isEqualTo(status.keySet().stream().collect(Collectors.toMap(
                    ticket -> "ticket-billing/ticket/" + ticket + "/result-1/0", ticket -> 1L)));
            Map<String, Long> balances = balances(accountEvents);
            for (int owner = 0; owner < OWNERS; owner++) {
                String account = "owner-" + owner;
                long opened = status.keySet().stream().filter(ticket -> load.owner(ticket).equals(account)).count();
                long expired = expiries.stream().filter(expiry -> load.owner(expiry.aggregateId()).equals(account)).count();
                assertThat(balances.get(account)).as(account).isEqualTo(FUNDS + opened - 5 * expired);
            }

            AuditReport tickets = LogAudit.of(TICKETS).application(APP).deadlineGrace(Duration.ZERO)
                    .run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));
            AuditReport accounts = LogAudit.of(ACCOUNTS).application(APP).processManagers(BILLING)
                    .run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));
            System.out.println("tickets: " + tickets.summary());
            System.out.println("accounts: " + accounts.summary());
            assertThat(tickets.violations()).isEmpty();
            assertThat(accounts.violations()).isEmpty();

            DeadlineCounts deadlines = tickets.deadlines();
            assertThat(deadlines.scheduled()).isEqualTo(load.tickets());
            assertThat(deadlines.fired()).isGreaterThanOrEqualTo(expiries.size()).isLessThanOrEqualTo(load.tickets());
            assertThat(deadlines.waiting()).isZero();
            ProcessManagerCounts billing = accounts.processManagers().get(0);
            assertThat(billing).isEqualTo(new ProcessManagerCounts("ticket-billing", load.tickets() + expiries.size(),
                    2L * load.tickets() + expiries.size(), load.tickets(), 2L * load.tickets() + expiries.size(), 0, 0, 0));

            // What the kills did: firings and commands written in a transaction a kill aborted, written again
            // after the restart; deadlines that fell due while the JVM was down, fired late; deadlines fired
            // and then cancelled by a close handled before the fired command (the aggregate refused the expiry).
            List<ConsumerRecord<String, byte[]>> firedCommitted = withHeader(Cluster.readAll(kafka, TICKETS.topics().commands()),
                    EventfoldHeaders.DEADLINE);
            Map<String, Long> firedWritten = countById(withHeader(readUncommitted(TICKETS.topics().commands()), EventfoldHeaders.DEADLINE));
            Map<String, Long> sentWritten = countById(withHeader(readUncommitted(ACCOUNTS.topics().commands()),
                    EventfoldHeaders.PROCESS_MANAGER));
            long firingsAborted = firedWritten.values().stream().filter(count -> count > 1).count();
            long commandsAborted = sentWritten.values().stream().filter(count -> count > 1).count();
            Map<String, Instant> dueAt = dueAt(ticketEvents);
            long dueWhileDown = firedCommitted.stream().map(record -> dueAt.get(EventfoldHeaders.commandId(record.headers()).orElseThrow()))
                    .filter(due -> downtimes.stream().anyMatch(down -> !due.isBefore(down[0]) && due.isBefore(down[1]))).count();
            long firedThenClosed = firedCommitted.stream().filter(record -> status.get(record.key()).equals("CLOSED")).count();
            assertThat(firedCommitted).hasSize((int) deadlines.fired());
            assertThat(dueWhileDown).as("deadlines due while the JVM was down, fired after its restart").isPositive();
            assertThat(firingsAborted).as("firings aborted by a kill and fired again").isPositive();
            assertThat(commandsAborted).as("manager commands aborted by a kill and sent again").isPositive();
            System.out.printf("WorkflowKillIT: %d kills (%d s down in all); %d tickets, %d deadlines scheduled, %d cancelled, %d fired"
                            + " (%d due while the JVM was down, %d aborted by a kill and fired again, %d fired and then cancelled by"
                            + " a close), %d expired; manager: %d commands derived from events, %d sent, %d handled (%d aborted by"
                            + " a kill and sent again); 0 violations; %d s%n", downtimes.size(),
                    downtimes.stream().mapToLong(down -> Duration.between(down[0], down[1]).toSeconds()).sum(), load.tickets(),
                    deadlines.scheduled(), deadlines.cancelled(), deadlines.fired(), dueWhileDown, firingsAborted, firedThenClosed,
                    expiries.size(), billing.expected(), billing.sent(), billing.handled(), commandsAborted,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());

            assertViolationsFound(firedCommitted.get(0), status.keySet().iterator().next(), load);
        } finally {
            child.close();
        }
    }

    /** Each owner's account opened and funded before the first ticket: the manager's Open is refused, every charge accepted. */
    private static void fundAccounts(KafkaProducer<String, byte[]> producer) throws Exception {
        for (int owner = 0; owner < OWNERS; owner++) {
            String account = "owner-" + owner;
            send(producer, ACCOUNTS.topics().commands(), account, ACCOUNTS.serdes().commands().serializer()
                    .serialize("", new Command<>("fund-open-" + account, account, ExpectedVersion.any(), new AccountCommand.Open(account), Map.of())));
            send(producer, ACCOUNTS.topics().commands(), account, ACCOUNTS.serdes().commands().serializer()
                    .serialize("", new Command<>("fund-" + account, account, ExpectedVersion.any(), new AccountCommand.Deposit(FUNDS), Map.of())));
        }
        producer.flush();
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /**
     * The tickets: {@value #TICKETS_PER_SECOND} a second during {@link #LOAD}, each due 2 to 12 s after it is
     * opened; every third closed 1 to 13 s after it was opened (before or after its expiry: both happen).
     */
    static final class Load implements Runnable {

        private record Send(long atMillis, String ticket, TicketCommand command) {
        }

        private final KafkaProducer<String, byte[]> producer;
        private final List<Send> schedule = new ArrayList<>();
        private final Map<String, String> owners = new HashMap<>();
        private volatile Throwable failure;

        Load(KafkaProducer<String, byte[]> producer, Instant start) {
            this.producer = producer;
            Random random = new Random(17);
            int count = (int) (LOAD.toSeconds() * TICKETS_PER_SECOND);
            for (int i = 0; i < count; i++) {
                String ticket = "t-" + i;
                String owner = "owner-" + random.nextInt(OWNERS);
                owners.put(ticket, owner);
                long openAt = start.toEpochMilli() + i * 1000L / TICKETS_PER_SECOND;
                schedule.add(new Send(openAt, ticket, new Tickets.Open(owner, Instant.ofEpochMilli(openAt + 2000 + random.nextInt(10_000)))));
                if (i % 3 == 0) {
                    schedule.add(new Send(openAt + 1000 + random.nextInt(12_000), ticket, new Tickets.Close()));
                }
            }
            schedule.sort(Comparator.comparingLong(Send::atMillis));
        }

        int tickets() {
            return owners.size();
        }

        String owner(String ticket) {
            return owners.get(ticket);
        }

        Throwable failure() {
            return failure;
        }

        @Override
        public void run() {
            try {
                for (Send send : schedule) {
                    long wait = send.atMillis() - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    String kind = send.command() instanceof Tickets.Open ? "open-" : "close-";
                    Command<TicketCommand> command = new Command<>(kind + send.ticket(), send.ticket(), ExpectedVersion.any(),
                            send.command(), Map.of());
                    producer.send(new ProducerRecord<>(TICKETS.topics().commands(), send.ticket(),
                            TICKETS.serdes().commands().serializer().serialize("", command)));
                }
                producer.flush();
            } catch (Throwable e) {
                failure = e;
            }
        }
    }

    /**
     * Reads the commands topics {@code read_uncommitted} as they are written, so that the test can
     * kill the JVM while a transaction that fired a deadline and sent a manager's command is open.
     */
    static final class Watcher implements AutoCloseable {

        /** A record seen, and when. */
        private record Seen(TopicPartition partition, long offset, long atNanos) {
        }

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        /** Asks for the last stable offsets: a record at or past one is in a transaction still open. */
        private final KafkaConsumer<String, byte[]> committed = new KafkaConsumer<>(
                EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "watcher-committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        private volatile Seen lastFired;
        private volatile Seen lastSent;

        Watcher() {
            Properties props = EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "watcher");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(TICKETS.topics().commands(), ACCOUNTS.topics().commands())) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            thread = new Thread(() -> {
                try (consumer) {
                    while (running.get()) {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                            Seen seen = new Seen(new TopicPartition(record.topic(), record.partition()), record.offset(), System.nanoTime());
                            if (record.headers().lastHeader(EventfoldHeaders.DEADLINE) != null) {
                                lastFired = seen;
                            }
                            if (record.headers().lastHeader(EventfoldHeaders.PROCESS_MANAGER) != null) {
                                lastSent = seen;
                            }
                        }
                    }
                }
            }, "watcher");
            thread.start();
        }

        /** Returns once a fired deadline and a command of the manager, both seen lately, are still uncommitted. */
        void awaitOpenTransaction(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Seen fired = lastFired;
                Seen sent = lastSent;
                long now = System.nanoTime();
                if (fired != null && sent != null && now - fired.atNanos() < 300_000_000L && now - sent.atNanos() < 300_000_000L) {
                    Map<TopicPartition, Long> stable = committed.endOffsets(List.of(fired.partition(), sent.partition()));
                    if (stable.get(fired.partition()) <= fired.offset() && stable.get(sent.partition()) <= sent.offset()) {
                        return;
                    }
                }
                assertThat(now).as("a fired deadline and a manager command in an open transaction within " + timeout.toSeconds() + " s")
                        .isLessThan(deadline);
                Thread.sleep(5);
            }
        }

        @Override
        public void close() {
            running.set(false);
            committed.close();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until every ticket is closed or expired and the manager has billed each expiry, then
     * until nothing more is written for three seconds: a second firing or command would come in that time.
     */
    private static void awaitQuiet(Load load) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            List<Event<TicketEvent>> ticketEvents = events(TICKETS.topics().events(), TICKETS.serdes().events().deserializer()::deserialize);
            Map<String, String> status = ticketStatus(ticketEvents);
            long expired = status.values().stream().filter("EXPIRED"::equals).count();
            long withdrawn = events(ACCOUNTS.topics().events(), ACCOUNTS.serdes().events().deserializer()::deserialize).stream()
                    .filter(event -> event.payload() instanceof AccountEvent.Withdrawn).count();
            if (status.size() == load.tickets() && status.values().stream().noneMatch("OPEN"::equals) && withdrawn >= expired) {
                break;
            }
            assertThat(System.nanoTime()).as("every ticket closed or expired and billed within 90 s").isLessThan(deadline);
            Thread.sleep(500);
        }
        Map<TopicPartition, Long> ends = ends();
        for (int quiet = 0; quiet < 3; ) {
            Thread.sleep(1000);
            Map<TopicPartition, Long> now = ends();
            quiet = now.equals(ends) ? quiet + 1 : 0;
            ends = now;
            assertThat(System.nanoTime()).as("nothing more written for 3 s within 90 s").isLessThan(deadline);
        }
    }

    /** The committed end of every partition of the workflow's topics. */
    private static Map<TopicPartition, Long> ends() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(),
                "ends"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (NewTopic topic : TopicLayout.of(TICKETS, ACCOUNTS, BILLING).newTopics(1, (short) 1)) {
                consumer.partitionsFor(topic.name()).forEach(info -> partitions.add(new TopicPartition(topic.name(), info.partition())));
            }
            return consumer.endOffsets(partitions);
        }
    }

    private static <E> List<Event<E>> events(String topic, BiFunction<String, byte[], Event<E>> read) {
        return Cluster.readAll(kafka, topic).stream().map(record -> read.apply(topic, record.value())).toList();
    }

    private static Map<String, String> ticketStatus(List<Event<TicketEvent>> events) {
        Map<String, Tickets.Ticket> tickets = new HashMap<>();
        for (Event<TicketEvent> event : events) {
            tickets.put(event.aggregateId(), Tickets.AGGREGATE.evolve(tickets.getOrDefault(event.aggregateId(), Tickets.Ticket.NEW),
                    event.payload()));
        }
        return tickets.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().status()));
    }

    private static Map<String, Long> balances(List<Event<AccountEvent>> events) {
        Map<String, Long> balances = new HashMap<>();
        for (Event<AccountEvent> event : events) {
            long change = event.payload() instanceof AccountEvent.Deposited deposited ? deposited.amount()
                    : event.payload() instanceof AccountEvent.Withdrawn withdrawn ? -withdrawn.amount() : 0;
            balances.merge(event.aggregateId(), change, Long::sum);
        }
        return balances;
    }

    /** When each deadline's command was due, by its command id, as the tickets' events say. */
    private static Map<String, Instant> dueAt(List<Event<TicketEvent>> ticketEvents) {
        Map<String, Instant> due = new HashMap<>();
        for (Event<TicketEvent> event : ticketEvents) {
            if (event.payload() instanceof Tickets.Opened opened) {
                due.put(event.aggregateId() + "/deadline/expiry/" + event.version(), opened.dueAt());
            }
        }
        return due;
    }

    /**
     * The same audits find what the topology never wrote, once it is written by hand: a fired
     * command written a second time (as a timer that lost its store delete would), and a command
     * of the manager that no event derives. The topology handles both (the first as a duplicate).
     */
    private static void assertViolationsFound(ConsumerRecord<String, byte[]> fired, String ticket, Load load) throws Exception {
        Command<AccountCommand> forged = new Command<>("ticket-billing/ticket/" + ticket + "/1/1", load.owner(ticket),
                ExpectedVersion.any(), new AccountCommand.Deposit(1), Map.of());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(EventfoldConfig.commandProducer(kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            RecordMetadata again = producer.send(new ProducerRecord<>(fired.topic(), null, fired.key(), fired.value(), fired.headers())).get();
            ProducerRecord<String, byte[]> sent = new ProducerRecord<>(ACCOUNTS.topics().commands(), forged.aggregateId(),
                    ACCOUNTS.serdes().commands().serializer().serialize("", forged));
            EventfoldHeaders.put(sent.headers(), EventfoldHeaders.COMMAND_ID, forged.commandId());
            EventfoldHeaders.put(sent.headers(), EventfoldHeaders.PROCESS_MANAGER, BILLING.name());
            RecordMetadata extra = producer.send(sent).get();
            awaitHandled(again);
            awaitHandled(extra);
            String firedAgain = again.topic() + "-" + again.partition() + "@" + again.offset();
            String extraAt = extra.topic() + "-" + extra.partition() + "@" + extra.offset();

            AuditReport tickets = LogAudit.of(TICKETS).application(APP).deadlineGrace(Duration.ZERO)
                    .run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));
            AuditReport accounts = LogAudit.of(ACCOUNTS).application(APP).processManagers(BILLING)
                    .run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));

            assertThat(tickets.violations()).singleElement().asString()
                    .startsWith("deadline expiry of " + fired.key() + " fired 2 times: its command "
                            + EventfoldHeaders.commandId(fired.headers()).orElseThrow() + " is on " + fired.topic() + "-" + fired.partition()
                            + "@" + fired.offset() + " and " + firedAgain);
            assertThat(accounts.violations()).containsExactly("command " + forged.commandId() + " on " + extraAt
                    + " was sent by process manager ticket-billing for event " + ticket + "@1 of ticket, but its replay sends no such command");
        }
    }

    /** Waits until the application has committed its position past a record: its outputs are committed. */
    private static void awaitHandled(RecordMetadata record) throws Exception {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            while (true) {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(APP).partitionsToOffsetAndMetadata().get().get(partition);
                if (committed != null && committed.offset() > record.offset()) {
                    return;
                }
                assertThat(System.nanoTime()).as(record + " handled within 60 s").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    private static List<ConsumerRecord<String, byte[]>> withHeader(List<ConsumerRecord<String, byte[]>> records, String header) {
        return records.stream().filter(record -> record.headers().lastHeader(header) != null).toList();
    }

    private static Map<String, Long> countById(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().collect(Collectors.groupingBy(record -> EventfoldHeaders.commandId(record.headers()).orElseThrow(),
                Collectors.counting()));
    }

    /** Every record of a topic, those of aborted transactions included. */
    private static List<ConsumerRecord<String, byte[]>> readUncommitted(String topic) {
        return Cluster.readAll(kafka, topic, IsolationLevel.READ_UNCOMMITTED);
    }
}
