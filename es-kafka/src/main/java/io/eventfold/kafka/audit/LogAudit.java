package io.eventfold.kafka.audit;

import io.eventfold.core.ErrorText;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.HistoryInvariants;
import io.eventfold.core.Snapshot;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.TopicNames;
import io.eventfold.kafka.internal.DecodedCommand;
import io.eventfold.kafka.internal.EnvelopeReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Checks Eventfold's guarantees on the topics of an aggregate type, as they are on the brokers:
 * reads the dead-letter topic, then partition by partition the results, commands, events and
 * snapshots topics with {@code read_committed}, each to the end it has when its read starts, and
 * lists every violation. Usable on production topics in a quiet period: commands arriving while
 * the audit reads show up as results without events, or snapshots ahead of their events.
 *
 * <pre>{@code
 * AuditReport report = LogAudit.of(invoices).run(EventfoldConfig.readCommittedConsumer("kafka:9092", "audit"));
 * }</pre>
 *
 * <p>It reports: a command with no result, with more than one final result, or with a result
 * after its final one (re-sent duplicates aside; failures may come before the final result, since
 * a failed command is handled again when it is sent again); a command id sent by more records
 * than it has results; an accepted result whose events are missing or extra; events of a
 * rejected, conflicting or failed command, or of a command without a result; per-aggregate event
 * versions that are not contiguous from 1; a latest snapshot whose version is not the last
 * event's or whose state is not the replay of the events; a record that names no command id (or,
 * without a key, no aggregate id) and is not on the dead-letter topic; a record that cannot be
 * read. A command is an aggregate id and a command id. Run it when the application has caught up:
 * a command not yet handled has no result.
 *
 * <p><b>The window.</b> Results are kept one day, commands seven, events forever (see
 * {@link io.eventfold.kafka.TopicRole}), so on a cluster older than a day the oldest commands and
 * events have lost their results. The audit holds a record to "has a result" only inside the
 * window the retentions leave, and says what it left out ({@link AuditReport#resultsWindow()},
 * {@link AuditReport#commandsOutsideWindow()}, {@link AuditReport#eventsOutsideWindow()}):
 * <ul>
 *   <li>A results partition whose first offset is 0 has lost nothing: every command record and
 *       event of that partition number is checked.</li>
 *   <li>Otherwise, on the commands and on the events partition of that number, the window starts
 *       at the first record whose own result is still held (for a command id sent by {@code n}
 *       records with {@code r} results held, its last {@code r} records have theirs; for an event,
 *       its command's accepted result). A partition's commands, events and results are written
 *       in one order by the one task that handles its commands, and the brokers delete the oldest
 *       first, so a record before that one lost its result with the results partition's head:
 *       it is counted as outside the window. From it on, a record without a result is a
 *       violation.</li>
 *   <li>A command record without a key is answered on the partition of the aggregate its envelope
 *       names, in no order with it: it is checked for a result only when no results partition has
 *       lost records.</li>
 *   <li>A command record that went to the dead-letter topic has its answer there: it is matched
 *       by the {@link EventfoldHeaders#SOURCE} header of its dead letter, whatever its key or
 *       command id.</li>
 *   <li>Every result held is checked in full (one final result, the events it announces), and
 *       every event (versions, snapshot, replay): events are never deleted.</li>
 * </ul>
 * What this cannot tell apart: a record just before the window's start whose result is missing,
 * rather than deleted, is counted as outside the window.
 *
 * <p><b>Memory.</b> Nothing is kept of an event but its aggregate's event count, last version and
 * folded state, and of a snapshot only the verdict: the events topic, kept forever, is streamed
 * with one fold per aggregate of the partition being read. Of commands and results, only ids and
 * counts of the results partition being read (bounded by its retention) are kept, and the
 * offsets of the dead-lettered command records.
 *
 * <p>It reports progress every {@value #PROGRESS_EVERY_RECORDS} records or
 * {@value #PROGRESS_EVERY_SECONDS} seconds of a partition's read, and at each partition's end,
 * to an {@link AuditListener} (by default a log line through SLF4J).
 *
 * <p>From a shell, with the application's classes on the class path:
 * {@code java -cp app.jar:… io.eventfold.kafka.audit.LogAudit --type com.acme.Invoices#TYPE --bootstrap-servers kafka:9092};
 * it prints its progress on standard error and the report on standard output, and exits 0
 * without violations, 1 with, 2 for bad arguments, 3 when the topics cannot be read.
 *
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public final class LogAudit<C, E, S> {

    /** A partition's read is reported every this many records… */
    public static final long PROGRESS_EVERY_RECORDS = 100_000;

    /** …or every this many seconds, whichever comes first. */
    public static final long PROGRESS_EVERY_SECONDS = 5;

    /** How long a read may go without a record before the audit gives up on the topics. */
    private static final Duration STALL = Duration.ofMinutes(5);

    private final AggregateType<C, E, S> type;
    private final AuditListener listener;

    private LogAudit(AggregateType<C, E, S> type, AuditListener listener) {
        this.type = Objects.requireNonNull(type, "type must not be null");
        this.listener = Objects.requireNonNull(listener, "listener must not be null");
    }

    /**
     * An audit of one aggregate type, logging its progress through SLF4J.
     *
     * @param type the aggregate type whose topics to read
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return the audit
     */
    public static <C, E, S> LogAudit<C, E, S> of(AggregateType<C, E, S> type) {
        return new LogAudit<>(type, AuditListener.logging());
    }

    /**
     * The same audit, reporting its progress to another listener.
     *
     * <pre>{@code
     * LogAudit.of(invoices).progress(AuditListener.printing(System.err)).run(properties);
     * }</pre>
     *
     * @param listener told how far each partition's read has come
     * @return a new audit
     */
    public LogAudit<C, E, S> progress(AuditListener listener) {
        return new LogAudit<>(type, listener);
    }

    /**
     * Reads the topics to their end and checks them.
     *
     * @param consumerProperties bootstrap servers and security settings; the audit assigns
     *     partitions itself (no group) and always reads {@code read_committed}
     * @return the report
     * @throws org.apache.kafka.common.KafkaException when a topic is missing or cannot be read
     * @throws IllegalStateException when the commands, events, snapshots and results topics do not
     *     have the same number of partitions
     */
    public AuditReport run(Properties consumerProperties) {
        TopicNames topics = type.topics();
        try (TopicReader reader = new TopicReader(consumerProperties, STALL, listener, PROGRESS_EVERY_RECORDS,
                Duration.ofSeconds(PROGRESS_EVERY_SECONDS))) {
            int partitions = coPartitions(reader, topics);
            DeadLetterSources deadLetters = new DeadLetterSources(topics.commands());
            int deadLetterPartitions = reader.partitions(topics.deadLetters());
            for (int partition = 0; partition < deadLetterPartitions; partition++) {
                deadLetters.trimmed(reader.read(topics.deadLetters(), partition, deadLetterPartitions, deadLetters::add));
            }
            AuditTally tally = new AuditTally();
            KeylessCommands keyless = new KeylessCommands();
            WindowBuilder results = new WindowBuilder(topics.commandResults(), partitions);
            WindowBuilder commands = new WindowBuilder(topics.commands(), partitions);
            PartitionAudit audit = new PartitionAudit(reader, partitions, deadLetters, keyless, tally);
            for (int partition = 0; partition < partitions; partition++) {
                audit.run(partition, results, commands);
            }
            RetentionWindow resultsWindow = results.build();
            keyless.finish(tally, resultsWindow.complete());
            return new AuditReport(tally.commands, tally.results, tally.resultsByKind, tally.duplicateResults, tally.events,
                    tally.aggregates, deadLetters.records(), resultsWindow, commands.build(), tally.commandsOutsideWindow,
                    tally.eventsOutsideWindow, tally.violations());
        }
    }

    private static int coPartitions(TopicReader reader, TopicNames topics) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String topic : List.of(topics.commands(), topics.events(), topics.snapshots(), topics.commandResults())) {
            counts.put(topic, reader.partitions(topic));
        }
        if (counts.values().stream().distinct().count() > 1) {
            throw new IllegalStateException("cannot audit: the topics must have the same number of partitions, but " + counts);
        }
        return counts.get(topics.commands());
    }

    /** The four topics of one partition number, read in the order the checks need. */
    private final class PartitionAudit {

        private final TopicReader reader;
        private final int partitions;
        private final DeadLetterSources deadLetters;
        private final KeylessCommands keyless;
        private final AuditTally tally;
        private final EnvelopeReader<C, E, S> envelopes = new EnvelopeReader<>(type.commandCodec(), type.eventCodec(), type.stateCodec());

        PartitionAudit(TopicReader reader, int partitions, DeadLetterSources deadLetters, KeylessCommands keyless, AuditTally tally) {
            this.reader = reader;
            this.partitions = partitions;
            this.deadLetters = deadLetters;
            this.keyless = keyless;
            this.tally = tally;
        }

        void run(int partition, WindowBuilder resultsWindow, WindowBuilder commandsWindow) {
            TopicNames topics = type.topics();
            List<String> violations = tally.violations();
            CommandLedger ledger = new CommandLedger(topics.commands(), partition);
            AggregateFolds<E, S> folds = new AggregateFolds<>(type.aggregate());
            TopicReader.Extent results = reader.read(topics.commandResults(), partition, partitions, record -> result(record, ledger));
            resultsWindow.add(results);
            ledger.resultsTrimmed(results.trimmed());
            commandsWindow.add(reader.read(topics.commands(), partition, partitions, record -> command(record, ledger)));
            reader.read(topics.events(), partition, partitions, record -> {
                Event<E> event = read(record, "event", type.serdes().events().deserializer());
                if (event != null) {
                    folds.event(event, violations);
                    ledger.event(event.aggregateId(), event.commandId(), violations);
                }
            });
            reader.read(topics.snapshots(), partition, partitions, record -> {
                if (record.value() != null) { // a tombstone: no snapshot to check
                    Snapshot<S> snapshot = read(record, "snapshot", type.serdes().snapshots().deserializer());
                    if (snapshot != null) {
                        folds.snapshot(snapshot);
                    }
                }
            });
            keyless.answers(ledger.finish(tally));
            folds.finish(violations);
            tally.events += folds.events();
            tally.aggregates += folds.aggregates();
        }

        private void result(ConsumerRecord<String, byte[]> record, CommandLedger ledger) {
            CommandResult<E, S> result = read(record, "result", type.serdes().results().deserializer());
            if (result != null) {
                ledger.result(result.aggregateId(), result.commandId(), result.kind(), HistoryInvariants.eventsAnnounced(result),
                        EventfoldHeaders.isDuplicate(record.headers()));
            }
        }

        private void command(ConsumerRecord<String, byte[]> record, CommandLedger ledger) {
            if (deadLetters.contains(record.partition(), record.offset())) {
                return; // answered on the dead-letter topic
            }
            DecodedCommand<C> decoded = DecodedCommand.decode(envelopes, record.value(), EventfoldHeaders.commandId(record.headers()));
            // The command processor's rule: without a key, a command is answered under its envelope's aggregate id.
            boolean keyed = record.key() != null && !record.key().isBlank();
            String aggregateId = keyed ? record.key() : decoded.envelopeAggregateId();
            if (decoded.commandId() == null || aggregateId == null || aggregateId.isBlank()) {
                notDeadLettered(record, keyed);
            } else if (keyed) {
                ledger.command(record.offset(), aggregateId, decoded.commandId());
            } else {
                keyless.record(aggregateId, decoded.commandId());
            }
        }

        /** A record that can be answered only by a dead letter, and has none. */
        private void notDeadLettered(ConsumerRecord<String, byte[]> record, boolean keyed) {
            if (deadLetters.complete()) {
                tally.violations().add("command record " + location(record) + " names no "
                        + (keyed ? "command id" : "command id and aggregate id, and has no key,")
                        + " but is not on the dead-letter topic " + type.topics().deadLetters());
            } else {
                tally.commandsOutsideWindow++; // its dead letter may have been deleted
            }
        }

        private <T> T read(ConsumerRecord<String, byte[]> record, String what, Deserializer<T> deserializer) {
            try {
                T value = deserializer.deserialize(record.topic(), record.value());
                if (value != null) {
                    return value;
                }
                tally.violations().add(what + " record " + location(record) + " has no value");
            } catch (RuntimeException unreadable) {
                tally.violations().add(what + " record " + location(record) + " cannot be read: "
                        + ErrorText.bounded(String.valueOf(unreadable.getMessage())));
            }
            return null;
        }
    }

    private static String location(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** Sums what the partitions of one topic still hold. */
    private static final class WindowBuilder {

        private final String topic;
        private final int partitions;
        private int trimmed;
        private long deleted;
        private long oldest = -1;

        WindowBuilder(String topic, int partitions) {
            this.topic = topic;
            this.partitions = partitions;
        }

        void add(TopicReader.Extent extent) {
            if (extent.trimmed()) {
                trimmed++;
                deleted += extent.beginning();
            }
            if (extent.firstTimestamp() >= 0 && (oldest < 0 || extent.firstTimestamp() < oldest)) {
                oldest = extent.firstTimestamp();
            }
        }

        RetentionWindow build() {
            return new RetentionWindow(topic, partitions, trimmed, deleted, oldest);
        }
    }

    /**
     * Runs the audit from a shell and exits 0 (clean), 1 (violations), 2 (bad arguments) or 3 (topics unreadable).
     * Progress goes to standard error, the report to standard output.
     *
     * @param args {@code --type <class>#<static field> --bootstrap-servers <servers>}
     */
    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String typeReference = options.get("--type");
        String bootstrap = options.get("--bootstrap-servers");
        if (typeReference == null || bootstrap == null || !typeReference.contains("#")) {
            System.err.println("usage: LogAudit --type <class>#<static AggregateType field> --bootstrap-servers <host:port,…>");
            System.exit(2);
            return;
        }
        AggregateType<?, ?, ?> type;
        try {
            type = resolve(typeReference);
        } catch (ReflectiveOperationException | ClassCastException e) {
            System.err.println("cannot find the aggregate type " + typeReference + ": " + e);
            System.exit(2);
            return;
        }
        AuditReport report;
        try {
            report = of(type).progress(AuditListener.printing(System.err))
                    .run(EventfoldConfig.readCommittedConsumer(bootstrap, "eventfold-audit"));
        } catch (RuntimeException e) {
            System.err.println("the audit could not read the topics of " + type.name() + ": " + e);
            System.exit(3);
            return;
        }
        System.out.println(type.name() + ": " + report.summary());
        System.exit(report.clean() ? 0 : 1);
    }

    private static AggregateType<?, ?, ?> resolve(String reference) throws ReflectiveOperationException {
        String[] parts = reference.split("#", 2);
        Field field = Class.forName(parts[0]).getField(parts[1]);
        if (!Modifier.isStatic(field.getModifiers())) {
            throw new NoSuchFieldException(reference + " is not static");
        }
        return (AggregateType<?, ?, ?>) field.get(null);
    }
}
