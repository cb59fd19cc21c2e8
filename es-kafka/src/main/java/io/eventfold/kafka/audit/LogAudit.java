package io.eventfold.kafka.audit;

import io.eventfold.core.ErrorText;
import io.eventfold.core.CommandResult;
import io.eventfold.core.HistoryInvariants;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.ProcessManagerType;
import io.eventfold.kafka.TopicNames;
import io.eventfold.kafka.internal.DecodedCommand;
import io.eventfold.kafka.SnapshotVersionException;
import io.eventfold.kafka.internal.EnvelopeReader;
import io.eventfold.kafka.internal.EnvelopeSchema;
import io.eventfold.kafka.internal.StoredEvent;
import io.eventfold.kafka.internal.RecordPosition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Checks Eventfold's guarantees on the topics of an aggregate type, as they are on the brokers:
 * takes the end of every partition of the commands, results, events, snapshots and dead-letter
 * topics first, then reads them with {@code read_committed} up to those ends, partition by
 * partition, and lists every violation. Usable on production topics while commands arrive (see
 * <b>The snapshot</b> below).
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
 * without a key, no aggregate id) and is not on the dead-letter topic; an event record whose
 * {@code eventfold.correlation-id} or {@code eventfold.metadata.*} headers disagree with its
 * envelope; a record that cannot be read. A command is an aggregate id and a command id. Without the {@link #application application
 * id}, run it when the application has caught up: a command not yet handled has no result.
 *
 * <p><b>Deadlines.</b> From the {@link EventfoldHeaders#DEADLINES} header of the events (what each
 * decision scheduled and cancelled, in order) and the fired commands on the commands topic (the
 * {@link EventfoldHeaders#DEADLINE} header), it reports: a deadline's command on the commands
 * topic more than once (fired twice); a fired command that no event scheduled; a deadline that is
 * still the last of its id (neither replaced nor cancelled) and was due, and recorded, more than
 * the {@link #deadlineGrace grace} before the audit started, and never fired. A deadline replaced
 * or cancelled may have fired or not: a cancel decided after the firing does not recall the
 * command. That a fired command was handled once is checked as for any command. When the
 * commands topic has lost records, a deadline due before the oldest record held is counted as
 * outside the window ({@link DeadlineCounts}). Run it while the application runs: deadlines due
 * while it is down fire when it is back.
 *
 * <p><b>Process managers</b>, when {@link #processManagers named}: the commands a manager sent
 * to this type are checked like every command, and the manager is replayed over its source
 * type's events to find a command it derives and did not send, or one it sent and does not
 * derive ({@link ProcessManagerCounts}).
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
 *       names, in no order with it, by a failure: the failures of a command beyond what its keyed
 *       records asked for answer its records without a key (so a record sent without a key,
 *       then again keyed with the same command id, has both answers). It is checked for a result
 *       only when no results partition has lost records.</li>
 *   <li>A command record that went to the dead-letter topic has its answer there: it is matched
 *       by the {@link EventfoldHeaders#SOURCE} header of its dead letter, whatever its key or
 *       command id.</li>
 *   <li>Every result held is checked in full (one final result, the events it announces), and
 *       every event (versions, snapshot, replay): events are never deleted.</li>
 * </ul>
 * What this cannot tell apart: a record just before the window's start whose result is missing,
 * rather than deleted, is counted as outside the window.
 *
 * <p><b>The snapshot.</b> The audit first takes, per commands partition, how far the
 * application has handled it (its consumer group's committed offset, when told the
 * {@link #application application id}; otherwise the partition's end, assuming the application
 * had caught up when the audit started), then the ends of the results, events, snapshots and
 * dead-letter topics, and last the end of the commands topic again. Under {@code exactly_once_v2}
 * a command's outputs commit with its input offset, so every output of a command handled before
 * the first mark is within the ends taken after it. Outputs of commands handled later may be
 * within them too, but only of commands whose records lie between the two marks: those records
 * are read first, and their commands (aggregate id and command id) are left out of every check,
 * as is the snapshot of their aggregates ({@link AuditReport#commandsPending()}). What remains:
 * a transaction's markers reach its partitions one after the other, so an output committed an
 * instant before the first mark may not be readable yet; and without the application id, a
 * command written before the audit started and not yet handled has no result.
 *
 * <p><b>State versions.</b> A snapshot of another state version than the type's is fine when a
 * later snapshot of its aggregate replaces it (the snapshot rebuild publishes one), a violation
 * when it is the latest. Of a result of an older state version, the ids and the event records it
 * announces are checked, not its state.
 *
 * <p><b>Memory.</b> Nothing is kept of an event but its aggregate's event count, last version and
 * folded state, and of a snapshot only the verdict: the events topic, kept forever, is streamed
 * with one fold per aggregate of the partition being read. Of commands and results, only ids and
 * counts of the results partition being read (bounded by its retention) are kept, never the
 * command records before the window: when results were deleted, the commands partition is read
 * twice, once to find the window's start, once from there. Besides: the offsets of the
 * dead-lettered command records, the ids of the commands not yet handled and of the records
 * without a key, the ids of the commands found in violation, and the first
 * 1,000 violations, each cut to a bound (the others are counted). Of deadlines, per partition,
 * the fired commands it holds and the last deadline of each id of each aggregate; of a process
 * manager, the ids of its commands the commands topic holds, and during its replay its position
 * per source aggregate of the partition being read.
 *
 * <p>It reports progress every {@value #PROGRESS_EVERY_RECORDS} records or
 * {@value #PROGRESS_EVERY_SECONDS} seconds of a partition's read, and at each partition's end,
 * to an {@link AuditListener} (by default a log line through SLF4J).
 *
 * <p>From a shell, with the application's classes on the class path:
 * {@code java -cp app.jar:… io.eventfold.kafka.audit.LogAudit --type com.acme.Invoices#TYPE --bootstrap-servers kafka:9092};
 * add {@code --application-id <id>} to know how far the application has come,
 * {@code --process-manager <class>#<static field>} (repeated) for the process managers that send
 * commands to the type, and
 * {@code --consumer.config <file>} for the security settings of the cluster (a properties file,
 * as for Kafka's command-line tools). It prints its progress on standard error and the report
 * on standard output, and exits 0 without violations, 1 with, 2 for bad arguments or an
 * aggregate type or process manager that cannot be loaded, 3 when the topics cannot be read or the audit fails
 * otherwise.
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

    /** The default of {@link #deadlineGrace}: a deadline due a minute before the audit starts must have fired. */
    public static final Duration DEFAULT_DEADLINE_GRACE = Duration.ofMinutes(1);

    private final AggregateType<C, E, S> type;
    private final AuditListener listener;
    private final String applicationId;
    private final List<ProcessManagerType<?, ?, ?>> managers;
    private final Duration deadlineGrace;

    private LogAudit(AggregateType<C, E, S> type, AuditListener listener, String applicationId,
                     List<ProcessManagerType<?, ?, ?>> managers, Duration deadlineGrace) {
        this.type = Objects.requireNonNull(type, "type must not be null");
        this.listener = Objects.requireNonNull(listener, "listener must not be null");
        this.applicationId = applicationId;
        this.managers = List.copyOf(managers);
        this.deadlineGrace = deadlineGrace;
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
        return new LogAudit<>(type, AuditListener.logging(), null, List.of(), DEFAULT_DEADLINE_GRACE);
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
        return new LogAudit<>(type, listener, applicationId, managers, deadlineGrace);
    }

    /**
     * The same audit, told the Kafka Streams application that handles the commands: the audit
     * then takes how far it has come (its consumer group's committed offsets on the commands
     * topic) and leaves out the commands it had not handled, so it need not have caught up.
     *
     * <pre>{@code
     * LogAudit.of(invoices).application("invoices-app").run(properties);
     * }</pre>
     *
     * @param applicationId the topology's {@code application.id}
     * @return a new audit
     */
    public LogAudit<C, E, S> application(String applicationId) {
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("applicationId must not be blank");
        }
        return new LogAudit<>(type, listener, applicationId, managers, deadlineGrace);
    }

    /**
     * The same audit, also checking the process managers that send commands to this type: every
     * command on the commands topic that carries a manager's name ({@link EventfoldHeaders#PROCESS_MANAGER})
     * is held to one final result and its events once, like every command; and the manager is
     * replayed over its source type's events (up to how far the application has read them, when
     * told its {@link #application id}), so that every command it derives from an event must be
     * on the commands topic, and every command sent for an event it reached must be one it
     * derives. Events the manager dead-lettered derive nothing. The replay hands the manager the
     * events only, not the results of its commands: its reactions to events must not depend on
     * state that only {@code onResult} changes. See {@link ProcessManagerCounts}.
     *
     * <pre>{@code
     * LogAudit.of(accounts).application("billing-app").processManagers(invoiceAccounts).run(properties);
     * }</pre>
     *
     * @param processManagers managers whose target is this audit's type, with distinct names
     * @return a new audit
     * @throws IllegalArgumentException if a manager sends commands to another type, or two share a name
     */
    public LogAudit<C, E, S> processManagers(ProcessManagerType<?, ?, ?>... processManagers) {
        List<ProcessManagerType<?, ?, ?>> checked = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ProcessManagerType<?, ?, ?> manager : processManagers) {
            Objects.requireNonNull(manager, "processManagers must not contain null");
            if (!manager.target().name().equals(type.name()) || !manager.target().topics().equals(type.topics())) {
                throw new IllegalArgumentException("process manager " + manager.name() + " sends commands to "
                        + manager.target().name() + ", not to " + type.name() + ": audit it with LogAudit.of(its target type)");
            }
            if (!names.add(manager.name())) {
                throw new IllegalArgumentException("process manager " + manager.name() + " is given twice");
            }
            checked.add(manager);
        }
        return new LogAudit<>(type, listener, applicationId, checked, deadlineGrace);
    }

    /**
     * The same audit, with another grace for deadlines: a deadline that is still the last of its
     * id (neither replaced nor cancelled) and that was due, and recorded, more than this before
     * the audit started must have fired; later ones are counted as waiting. The grace covers the
     * firing's delay (a tick, the commit interval, a failover's restore), so an application that
     * was down, or is far behind its commands, is reported for the deadlines it has not fired yet.
     *
     * <pre>{@code
     * LogAudit.of(invoices).deadlineGrace(Duration.ofMinutes(5)).run(properties);
     * }</pre>
     *
     * @param grace how late a deadline may fire; by default {@link #DEFAULT_DEADLINE_GRACE}
     * @return a new audit
     * @throws IllegalArgumentException if the grace is negative
     */
    public LogAudit<C, E, S> deadlineGrace(Duration grace) {
        if (Objects.requireNonNull(grace, "grace must not be null").isNegative()) {
            throw new IllegalArgumentException("the deadline grace must not be negative but was " + grace);
        }
        return new LogAudit<>(type, listener, applicationId, managers, grace);
    }

    /**
     * Takes the topics' ends, reads the topics up to them and checks them.
     *
     * @param consumerProperties bootstrap servers and security settings; the audit assigns
     *     partitions itself (no group) and always reads {@code read_committed}
     * @return the report
     * @throws org.apache.kafka.common.KafkaException when a topic is missing or cannot be read
     * @throws IllegalStateException when the commands, events, snapshots and results topics do not
     *     have the same number of partitions
     * @throws IllegalArgumentException when the application has committed no offset on the
     *     commands topic
     */
    public AuditReport run(Properties consumerProperties) {
        TopicNames topics = type.topics();
        Instant dueBy = Instant.now().minus(deadlineGrace);
        try (TopicReader reader = new TopicReader(consumerProperties, STALL, listener, PROGRESS_EVERY_RECORDS,
                Duration.ofSeconds(PROGRESS_EVERY_SECONDS))) {
            int partitions = coPartitions(reader, topics);
            int deadLetterPartitions = reader.partitions(topics.deadLetters());
            AuditTally tally = new AuditTally();
            // Before the commands' end: a manager's commands for the events it had read are within it.
            AuditedManagers audited = new AuditedManagers(managers, tally.violations());
            audited.takePositions(reader, consumerProperties, applicationId, STALL);
            // The order is the point. First how far the commands were handled: every output of a
            // command before that mark committed with it, so it is within the ends taken next.
            // Last the commands' end: a command handled after the mark, whose outputs may be within
            // those ends too, has its record between the two, so it can be found and left out.
            long[] handled = applicationId == null ? reader.ends(topics.commands(), partitions)
                    : ApplicationPosition.handled(consumerProperties, applicationId, topics.commands(), partitions, STALL);
            Ends ends = new Ends(handled, reader.ends(topics.commandResults(), partitions), reader.ends(topics.events(), partitions),
                    reader.ends(topics.snapshots(), partitions), reader.ends(topics.deadLetters(), deadLetterPartitions),
                    reader.ends(topics.commands(), partitions));

            DeadLetterSources deadLetters = new DeadLetterSources(topics.commands());
            for (int partition = 0; partition < deadLetterPartitions; partition++) {
                deadLetters.trimmed(reader.read(topics.deadLetters(), partition, deadLetterPartitions, ends.deadLetters[partition],
                        deadLetters::add));
            }
            audited.readDeadLetters(reader);
            EnvelopeReader<C, E, S> envelopes = new EnvelopeReader<>(EnvelopeSchema.of(type));
            Set<CommandLedger.CommandKey> pending = new HashSet<>();
            for (int partition = 0; partition < partitions; partition++) {
                reader.read(topics.commands(), partition, partitions, ends.handled[partition], ends.commands[partition], record -> {
                    tally.commandsPending++;
                    answeredAs(record, envelopes).ifPresent(pending::add);
                });
            }
            Set<String> pendingAggregates = new HashSet<>();
            pending.forEach(key -> pendingAggregates.add(key.aggregateId()));
            KeylessCommands keyless = new KeylessCommands();
            WindowBuilder results = new WindowBuilder(topics.commandResults(), partitions);
            WindowBuilder commands = new WindowBuilder(topics.commands(), partitions);
            PartitionAudit audit = new PartitionAudit(reader, partitions, ends, deadLetters, keyless, pending, pendingAggregates,
                    envelopes, tally, audited, dueBy);
            for (int partition = 0; partition < partitions; partition++) {
                audit.run(partition, results, commands);
            }
            RetentionWindow resultsWindow = results.build();
            keyless.finish(tally, resultsWindow.complete());
            List<ProcessManagerCounts> managerCounts = audited.replay(reader, commands.heldFromMillis());
            DeadlineCounts deadlines = new DeadlineCounts(tally.deadlinesScheduled, tally.deadlinesCancelled, tally.deadlinesFired,
                    tally.deadlinesWaiting, tally.deadlinesOutsideWindow);
            return new AuditReport(tally.commands, tally.results, tally.resultsByKind, tally.duplicateResults, tally.events,
                    tally.aggregates, deadLetters.records(), resultsWindow, commands.build(), tally.commandsOutsideWindow,
                    tally.eventsOutsideWindow, tally.commandsPending, deadlines, managerCounts, tally.violations().kept(),
                    tally.violations().notKept());
        }
    }

    /** The command (aggregate id and command id) a record asks for, as the command processor answers it; empty if dead-lettered. */
    private static <C> Optional<CommandLedger.CommandKey> answeredAs(ConsumerRecord<String, byte[]> record,
                                                                      EnvelopeReader<C, ?, ?> envelopes) {
        DecodedCommand<C> decoded = DecodedCommand.decode(envelopes, record.value(), EventfoldHeaders.commandId(record.headers()));
        switch (decoded.disposition(record.key())) {
            case ANSWERED_ON_KEY:
                return Optional.of(new CommandLedger.CommandKey(record.key(), decoded.commandId()));
            case ANSWERED_ON_ENVELOPE_ID:
                return Optional.of(new CommandLedger.CommandKey(decoded.envelopeAggregateId(), decoded.commandId()));
            default:
                return Optional.empty();
        }
    }

    /**
     * The offsets the audit reads up to, per partition: {@code handled} the commands up to the
     * first mark, {@code commands} the commands' end taken last.
     */
    private record Ends(long[] handled, long[] results, long[] events, long[] snapshots, long[] deadLetters, long[] commands) {
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
        private final Ends ends;
        private final DeadLetterSources deadLetters;
        private final KeylessCommands keyless;
        private final Set<CommandLedger.CommandKey> pending;
        private final Set<String> pendingAggregates;
        private final EnvelopeReader<C, E, S> envelopes;
        private final AuditTally tally;
        private final AuditedManagers managers;
        private final Instant dueBy;

        PartitionAudit(TopicReader reader, int partitions, Ends ends, DeadLetterSources deadLetters, KeylessCommands keyless,
                       Set<CommandLedger.CommandKey> pending, Set<String> pendingAggregates, EnvelopeReader<C, E, S> envelopes,
                       AuditTally tally, AuditedManagers managers, Instant dueBy) {
            this.reader = reader;
            this.partitions = partitions;
            this.ends = ends;
            this.deadLetters = deadLetters;
            this.keyless = keyless;
            this.pending = pending;
            this.pendingAggregates = pendingAggregates;
            this.envelopes = envelopes;
            this.tally = tally;
            this.managers = managers;
            this.dueBy = dueBy;
        }

        void run(int partition, WindowBuilder resultsWindow, WindowBuilder commandsWindow) {
            TopicNames topics = type.topics();
            Violations violations = tally.violations();
            CommandLedger ledger = new CommandLedger(topics.commands(), partition, pending, violations);
            AggregateFolds<E, S> folds = new AggregateFolds<>(type.aggregate(), pendingAggregates);
            DeadlineLedger deadlines = new DeadlineLedger(topics.commands(), partition, violations);
            TopicReader.Extent results = reader.read(topics.commandResults(), partition, partitions, ends.results[partition],
                    record -> result(record, ledger));
            resultsWindow.add(results);
            ledger.resultsTrimmed(results.trimmed());
            long handled = ends.handled[partition];
            // To the commands' end taken last: a deadline fired, or a manager's command sent, is a
            // record whatever the application has handled of it.
            TopicReader.Extent commandRecords = reader.read(topics.commands(), partition, partitions, ends.commands[partition],
                    record -> {
                        boolean handledByMark = record.offset() < handled;
                        fired(record, deadlines, handledByMark);
                        managers.command(record, !handledByMark, pending);
                        if (handledByMark) {
                            command(record, ledger);
                        }
                    });
            commandsWindow.add(commandRecords);
            long windowStart = ledger.secondPassFrom();
            if (windowStart >= 0) {
                reader.read(topics.commands(), partition, partitions, windowStart, ends.handled[partition], record -> {
                    if (!deadLetters.contains(record.partition(), record.offset())) {
                        DecodedCommand<C> decoded = DecodedCommand.decode(envelopes, record.value(),
                                EventfoldHeaders.commandId(record.headers()));
                        if (decoded.disposition(record.key()) == DecodedCommand.Disposition.ANSWERED_ON_KEY) {
                            ledger.commandInWindow(record.offset(), record.key(), decoded.commandId());
                        }
                    }
                });
            }
            reader.read(topics.events(), partition, partitions, ends.events[partition], record -> {
                // One stored record is one version of the history, whatever upcasting makes of it.
                StoredEvent<E> event = read(record, "event", (topic, bytes) -> bytes == null ? null : envelopes.readStoredEvent(bytes));
                if (event != null) {
                    folds.record(event, violations);
                    ledger.event(event.aggregateId(), event.commandId());
                    EventProvenance.mismatch(record.headers(), event).ifPresent(violations::add);
                    deadlineChanges(record, event, deadlines);
                }
            });
            reader.read(topics.snapshots(), partition, partitions, ends.snapshots[partition], record -> {
                if (record.value() != null) { // a tombstone: no snapshot to check
                    try {
                        folds.snapshot(envelopes.readSnapshot(record.value()));
                    } catch (SnapshotVersionException otherVersion) {
                        // Fine if a later snapshot replaces it (a rebuild publishes one); a violation if it is the latest.
                        folds.otherStateVersion(otherVersion.aggregateId(), otherVersion.storedVersion(), otherVersion.currentVersion());
                    } catch (RuntimeException unreadable) {
                        unreadable(record, "snapshot", unreadable);
                    }
                }
            });
            keyless.answers(ledger.finish(tally));
            managers.answered(partition, ledger::finalKind);
            deadlines.finish(tally, dueBy, commandRecords.trimmed() ? AuditedManagers.heldFrom(commandRecords) : Long.MIN_VALUE);
            folds.finish(violations);
            tally.events += folds.events();
            tally.aggregates += folds.aggregates();
        }

        private void result(ConsumerRecord<String, byte[]> record, CommandLedger ledger) {
            CommandResult<E, S> result;
            try {
                result = read(record, "result", type.serdes().results().deserializer());
            } catch (SnapshotVersionException older) {
                // Accepted before the state version was raised: its state is not read, its ids and events count.
                OlderStateRecords.accepted(record.value(), envelopes).ifPresentOrElse(
                        outline -> ledger.result(outline.aggregateId(), outline.commandId(), CommandResult.Kind.ACCEPTED,
                                outline.eventsAnnounced(), EventfoldHeaders.isDuplicate(record.headers())),
                        () -> unreadable(record, "result", older));
                return;
            }
            if (result != null) {
                // The event records the command wrote: an upcaster may have split or dropped some since.
                int announced = type.eventUpcasters().isEmpty() ? HistoryInvariants.eventsAnnounced(result)
                        : envelopes.storedEventCount(record.value());
                ledger.result(result.aggregateId(), result.commandId(), result.kind(), announced,
                        EventfoldHeaders.isDuplicate(record.headers()));
            }
        }

        /**
         * A deadline's command, fired onto the commands topic: known by its {@link EventfoldHeaders#DEADLINE}
         * header; one fired again after being held back ({@link EventfoldHeaders#DEADLINE_HELD_BACK}) is not counted twice.
         */
        private void fired(ConsumerRecord<String, byte[]> record, DeadlineLedger deadlines, boolean handled) {
            Optional<String> deadlineId = EventfoldHeaders.read(record.headers(), EventfoldHeaders.DEADLINE);
            // A command held back while its partition rebuilt fires again, marked: the same firing, not a second.
            if (deadlineId.isPresent() && EventfoldHeaders.read(record.headers(), EventfoldHeaders.DEADLINE_HELD_BACK).isEmpty()) {
                String commandId = EventfoldHeaders.commandId(record.headers()).orElseGet(() ->
                        DecodedCommand.decode(envelopes, record.value(), Optional.empty()).commandId());
                deadlines.fired(record.key(), String.valueOf(commandId), deadlineId.get(), record.offset(), handled);
            }
        }

        /** The deadline changes a decision's last event record lists; the record of a command not yet handled schedules nothing that must have fired. */
        private void deadlineChanges(ConsumerRecord<String, byte[]> record, StoredEvent<E> event, DeadlineLedger deadlines) {
            if (record.headers().lastHeader(EventfoldHeaders.DEADLINES) == null) {
                return;
            }
            List<EventfoldHeaders.DeadlineNote> notes;
            try {
                notes = EventfoldHeaders.deadlineChanges(record.headers());
            } catch (IllegalArgumentException unreadable) {
                tally.violations().add("event record " + RecordPosition.of(record) + ": " + ErrorText.bounded(unreadable.getMessage()));
                return;
            }
            deadlines.changes(event.aggregateId(), event.version(), record.timestamp(), notes,
                    pending.contains(new CommandLedger.CommandKey(event.aggregateId(), event.commandId())));
        }

        /** First pass over a commands partition: where each record is answered, by the command processor's rule. */
        private void command(ConsumerRecord<String, byte[]> record, CommandLedger ledger) {
            if (deadLetters.contains(record.partition(), record.offset())) {
                return; // answered on the dead-letter topic
            }
            DecodedCommand<C> decoded = DecodedCommand.decode(envelopes, record.value(), EventfoldHeaders.commandId(record.headers()));
            switch (decoded.disposition(record.key())) {
                case ANSWERED_ON_KEY:
                    ledger.command(record.offset(), record.key(), decoded.commandId());
                    break;
                case ANSWERED_ON_ENVELOPE_ID:
                    if (pending.contains(new CommandLedger.CommandKey(decoded.envelopeAggregateId(), decoded.commandId()))) {
                        tally.commandsPending++;
                    } else {
                        keyless.record(decoded.envelopeAggregateId(), decoded.commandId());
                    }
                    break;
                default:
                    notDeadLettered(record, decoded);
            }
        }

        /** A record that can be answered only by a dead letter, and has none. */
        private void notDeadLettered(ConsumerRecord<String, byte[]> record, DecodedCommand<C> decoded) {
            boolean keyed = record.key() != null && !record.key().isBlank();
            if (deadLetters.complete()) {
                tally.violations().add("command record " + RecordPosition.of(record) + " names no "
                        + (keyed || decoded.commandId() == null ? "command id" : "aggregate id")
                        + (keyed ? "" : " and has no key,") + " but is not on the dead-letter topic " + type.topics().deadLetters());
            } else {
                tally.commandsOutsideWindow++; // its dead letter may have been deleted
            }
        }

        /** Reads a record, counting a violation when it cannot; throws a {@link SnapshotVersionException} of an older state version. */
        private <T> T read(ConsumerRecord<String, byte[]> record, String what, Deserializer<T> deserializer) {
            try {
                T value = deserializer.deserialize(record.topic(), record.value());
                if (value != null) {
                    return value;
                }
                tally.violations().add(what + " record " + RecordPosition.of(record) + " has no value");
            } catch (RuntimeException unreadable) {
                if (OlderStateRecords.isOlder(unreadable)) {
                    throw unreadable;   // the caller knows what of it still counts
                }
                unreadable(record, what, unreadable);
            }
            return null;
        }

        private void unreadable(ConsumerRecord<String, byte[]> record, String what, RuntimeException error) {
            tally.violations().add(what + " record " + RecordPosition.of(record) + " cannot be read: "
                    + ErrorText.bounded(String.valueOf(error.getMessage())));
        }
    }

    /** Sums what the partitions of one topic still hold. */
    private static final class WindowBuilder {

        private final String topic;
        private final int partitions;
        private int trimmed;
        private long deleted;
        private long oldest = -1;
        private long heldFrom = Long.MIN_VALUE;

        WindowBuilder(String topic, int partitions) {
            this.topic = topic;
            this.partitions = partitions;
        }

        void add(TopicReader.Extent extent) {
            if (extent.trimmed()) {
                trimmed++;
                deleted += extent.beginning();
                heldFrom = Math.max(heldFrom, AuditedManagers.heldFrom(extent));
            }
            if (extent.firstTimestamp() >= 0 && (oldest < 0 || extent.firstTimestamp() < oldest)) {
                oldest = extent.firstTimestamp();
            }
        }

        /** The latest time a partition that lost records holds from; Long.MIN_VALUE when none lost any. */
        long heldFromMillis() {
            return heldFrom;
        }

        RetentionWindow build() {
            return new RetentionWindow(topic, partitions, trimmed, deleted, oldest);
        }
    }

    /**
     * Runs the audit from a shell and exits 0 (clean), 1 (violations), 2 (bad arguments, or an
     * aggregate type or process manager that cannot be loaded) or 3 (topics unreadable, or any
     * other failure). Progress goes to standard error, the report to standard output.
     *
     * <pre>{@code
     * java -cp app.jar:… io.eventfold.kafka.audit.LogAudit --type com.acme.Invoices#TYPE --bootstrap-servers kafka:9092
     * }</pre>
     *
     * @param args {@code --type <class>#<static field>}, {@code --bootstrap-servers <servers>}
     *     (or {@code bootstrap.servers} in the consumer config), optionally
     *     {@code --consumer.config <properties file>}, {@code --application-id <id>} and, once per
     *     process manager sending commands to the type, {@code --process-manager <class>#<static field>}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    private static final String USAGE = "usage: LogAudit --type <class>#<static AggregateType field> --bootstrap-servers <host:port,…>"
            + " [--consumer.config <properties file>] [--application-id <application.id>]"
            + " [--process-manager <class>#<static ProcessManagerType field>]…";

    private static final String PROCESS_MANAGER_OPTION = "--process-manager";

    /** What {@link #main} does, returning the exit code instead of exiting. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        List<String> managerReferences = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i]) || i + 1 >= args.length) {
                err.println((OPTIONS.contains(args[i]) ? args[i] + " needs a value" : "unknown option " + args[i]) + "\n" + USAGE);
                return 2;
            }
            if (args[i].equals(PROCESS_MANAGER_OPTION)) {
                managerReferences.add(args[i + 1]);
            } else {
                options.put(args[i], args[i + 1]);
            }
        }
        String typeReference = options.get("--type");
        if (typeReference == null || !typeReference.contains("#")) {
            err.println(USAGE);
            return 2;
        }
        Properties consumer = new Properties();
        if (options.containsKey("--consumer.config")) {
            try (Reader file = Files.newBufferedReader(Path.of(options.get("--consumer.config")))) {
                consumer.load(file);
            } catch (IOException | RuntimeException e) {
                err.println("cannot read the consumer config " + options.get("--consumer.config") + ": " + e);
                return 2;
            }
        }
        if (options.containsKey("--bootstrap-servers")) {
            consumer.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.get("--bootstrap-servers"));
        }
        if (consumer.getProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "").isBlank()) {
            err.println("no brokers: give --bootstrap-servers, or bootstrap.servers in the consumer config\n" + USAGE);
            return 2;
        }
        AggregateType<?, ?, ?> type;
        try {
            type = resolve(typeReference, AggregateType.class);
        } catch (Throwable e) { // a class that cannot be loaded or initialised is a LinkageError
            err.println("cannot load the aggregate type " + typeReference + ": " + e);
            return 2;
        }
        LogAudit<?, ?, ?> audit;
        try {
            List<ProcessManagerType<?, ?, ?>> managers = new ArrayList<>();
            for (String reference : managerReferences) {
                managers.add(resolve(reference, ProcessManagerType.class));
            }
            audit = of(type).processManagers(managers.toArray(ProcessManagerType<?, ?, ?>[]::new));
        } catch (Throwable e) {
            err.println("cannot load the process managers " + managerReferences + ": " + e);
            return 2;
        }
        try {
            audit = audit.progress(AuditListener.printing(err));
            if (options.containsKey("--application-id")) {
                audit = audit.application(options.get("--application-id"));
            }
            AuditReport report = audit.run(consumer);
            out.println(type.name() + ": " + report.summary());
            return report.clean() ? 0 : 1;
        } catch (Throwable e) { // an Error too (out of memory): the exit code must not say "violations"
            err.println("the audit could not read the topics of " + type.name() + ": " + e);
            return 3;
        }
    }

    private static final Set<String> OPTIONS = Set.of("--type", "--bootstrap-servers", "--consumer.config", "--application-id",
            PROCESS_MANAGER_OPTION);

    private static <T> T resolve(String reference, Class<T> kind) throws ReflectiveOperationException {
        if (!reference.contains("#")) {
            throw new NoSuchFieldException(reference + " is not <class>#<static field>");
        }
        String[] parts = reference.split("#", 2);
        Field field = Class.forName(parts[0]).getField(parts[1]);
        if (!Modifier.isStatic(field.getModifiers())) {
            throw new NoSuchFieldException(reference + " is not static");
        }
        Object value = field.get(null);
        if (!kind.isInstance(value)) {
            throw new NoSuchFieldException(reference + " is " + (value == null ? "null" : "a " + value.getClass().getName())
                    + ", not " + (kind.getSimpleName().matches("[AEIOU].*") ? "an " : "a ") + kind.getSimpleName());
        }
        return kind.cast(value);
    }
}
