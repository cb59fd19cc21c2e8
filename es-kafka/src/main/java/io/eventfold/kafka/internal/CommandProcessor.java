package io.eventfold.kafka.internal;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EnvelopeFormatException;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.SnapshotVersionException;
import io.eventfold.kafka.SnapshotsRebuildingException;
import io.eventfold.kafka.TopicNames;
import io.eventfold.core.Command;
import io.eventfold.core.CommandEngine;
import io.eventfold.core.CommandResult;
import io.eventfold.core.DeadlineChange;
import io.eventfold.core.ErrorText;
import io.eventfold.core.Event;
import io.eventfold.core.Outcome;
import io.eventfold.core.Snapshot;
import io.eventfold.kafka.internal.metrics.CommandMetrics;
import io.eventfold.kafka.internal.metrics.Meters;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one processor per aggregate type. Per command record: decode, deduplicate, load the
 * snapshot, let the {@link CommandEngine} decide, store, forward. It holds no business rule.
 *
 * <p>Every output is encoded here, before any store is touched, so that a payload Jackson cannot
 * write becomes a {@code Failed} result rather than an exception that stops the stream thread.
 * Under {@code exactly_once_v2} the store writes and the forwarded records of one command commit
 * atomically with the input offset.
 *
 * <p>It also drives its partition's snapshot rebuild ({@link RebuildMachine}) on a wall-clock
 * punctuator every {@value #TICK_CONFIG} milliseconds (default {@value #DEFAULT_TICK_MS}); until the
 * partition's snapshots are complete, commands are answered {@code Failed} with
 * {@link SnapshotsRebuildingException} and not remembered, so a resend is safe.
 */
public final class CommandProcessor<C, E, S> implements Processor<String, byte[], String, Routed> {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);
    /** How often the rebuild works, and for how long at most each time (ms). */
    public static final String TICK_CONFIG = EventfoldConfig.REBUILD_TICK_MS_CONFIG;
    /** The default of {@link #TICK_CONFIG}: a step every half second, of at most half a second. */
    public static final long DEFAULT_TICK_MS = 500;
    /** How many replayed aggregates a partition keeps decoded in memory before writing them to its store. */
    public static final String BUFFER_CONFIG = EventfoldConfig.REBUILD_BUFFER_AGGREGATES_CONFIG;
    /** The default of {@link #BUFFER_CONFIG}. */
    public static final long DEFAULT_BUFFER = 50_000;
    /** Replayed states are written to the store at least this often, so progress is committed. */
    private static final Duration FLUSH_INTERVAL = Duration.ofSeconds(10);
    /** Internal, for tests: the most event records one tick replays. */
    public static final String TICK_RECORDS_CONFIG = "eventfold.internal.rebuild.tick.records";
    /** A tick's work stays far below the transaction timeout (10 s under exactly_once_v2). */
    private static final long MAX_TICK_MS = 2000;

    private final AggregateType<C, E, S> type;
    private final TopicNames topics;
    private final CommandEngine<C, E, S> engine;
    private final EnvelopeReader<C, E, S> reader;
    private final EnvelopeWriter<C, E, S> writer;
    private final OutputRecords outputs;
    private final SnapshotChanges snapshotChanges;

    private ProcessorContext<String, Routed> context;
    private OutputLimits limits;
    private KeyValueStore<String, byte[]> snapshots;
    private DecodedSnapshots<S> decodedSnapshots = new DecodedSnapshots<>(0);
    private CommandIds commandIds;
    private RebuildMachine<C, E, S> rebuild;
    private RebuildProgress progress;
    private Cancellable ticks;
    private Duration tickBudget;
    private DeadlineStore deadlines;
    private DeadlineTimer deadlineTimer;
    private CommandMetrics metrics = CommandMetrics.NONE;
    private Tracing tracing;

    private final Set<String> replyTopics;

    /**
     * A processor for one type.
     *
     * @param type the aggregate type
     * @param replyTopics where results may be copied as the command records ask: the type's replies
     *     topic and those of the process managers that send it commands
     */
    public CommandProcessor(AggregateType<C, E, S> type, Set<String> replyTopics) {
        this.type = type;
        this.replyTopics = Set.copyOf(replyTopics);
        this.topics = type.topics();
        this.engine = type.engine();
        this.reader = new EnvelopeReader<>(EnvelopeSchema.of(type));
        this.writer = new EnvelopeWriter<>(EnvelopeSchema.of(type));
        this.outputs = new OutputRecords(topics);
        this.snapshotChanges = SnapshotChanges.of(type.stores().snapshots());
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.snapshots = context.getStateStore(type.stores().snapshots());
        // A new, empty cache on every initialisation: the store may have been rolled back since the last.
        this.decodedSnapshots = new DecodedSnapshots<>(intConfig(context.appConfigs(), EventfoldConfig.STATE_CACHE_AGGREGATES_CONFIG,
                EventfoldConfig.DEFAULT_STATE_CACHE_AGGREGATES, 0));
        this.commandIds = new CommandIds(context.getStateStore(type.stores().commandIds()), type.commandIdRetention());
        this.limits = OutputLimits.of(context.appConfigs(), type.stores());
        this.metrics = Meters.commands(context.appConfigs(), type.name(), topics.deadLetters(),
                RebuildRegistry.of(context.applicationId(), type.name()));
        this.tracing = Tracing.of(context.appConfigs());
        initRebuild(context);
        this.deadlines = new DeadlineStore(context.getStateStore(type.stores().deadlines()));
        this.deadlineTimer = new DeadlineTimer(context, deadlines,
                Duration.ofMillis(Math.max(1, longConfig(context.appConfigs(), EventfoldConfig.DEADLINE_TICK_MS_CONFIG,
                        EventfoldConfig.DEFAULT_DEADLINE_TICK_MS))),
                // Only on complete snapshots: a command refused while rebuilding is not remembered,
                // and nobody would send a fired deadline's command again.
                () -> rebuild.phase() == io.eventfold.kafka.RebuildStatus.Phase.CURRENT,
                this::fireDeadline, type.name() + " partition " + context.taskId().partition());
        deadlineTimer.init();
    }

    /** A due deadline's command to the commands topic, where it is handled like any other command. */
    private void fireDeadline(DeadlineStore.Due due) {
        context.forward(outputs.deadlineCommand(due.aggregateId(), due.commandId(), due.deadlineId(), due.envelope(),
                context.currentSystemTimeMs(), due.heldBack()));
        metrics.deadline(CommandMetrics.DeadlineMeter.FIRED);
    }

    private void initRebuild(ProcessorContext<String, Routed> context) {
        Map<String, Object> configs = context.appConfigs();
        long tickMs = Math.max(1, Math.min(MAX_TICK_MS, longConfig(configs, TICK_CONFIG, DEFAULT_TICK_MS)));
        this.tickBudget = Duration.ofMillis(tickMs);
        int partition = context.taskId().partition();
        EventLogs logs = EventLogs.of(configs, String.valueOf(configs.getOrDefault("client.id", context.applicationId()))
                + "-" + type.name() + "-" + partition + "-rebuild");
        this.rebuild = new RebuildMachine<>(type, partition, rebuildStore(), this::publishRebuilt,
                () -> logs.open(topics.events(), partition), System::nanoTime, Instant::now,
                longConfig(configs, TICK_RECORDS_CONFIG, Long.MAX_VALUE),
                intConfig(configs, BUFFER_CONFIG, (int) DEFAULT_BUFFER, 1), FLUSH_INTERVAL);
        this.progress = new RebuildProgress(RebuildRegistry.of(context.applicationId(), type.name()), type.stores().snapshots(), partition);
        rebuild.init();
        reportRebuild();
        if (rebuild.working()) {
            this.ticks = context.schedule(tickBudget, PunctuationType.WALL_CLOCK_TIME, now -> rebuildTick());
        }
    }

    private static long longConfig(Map<String, Object> configs, String name, long defaultValue) {
        Object value = configs.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number but was '" + value + "'", e);
        }
    }

    /** A count setting, raised to {@code least} and cut to what an int holds. */
    private static int intConfig(Map<String, Object> configs, String name, int defaultValue, int least) {
        return (int) Math.max(least, Math.min(Integer.MAX_VALUE, longConfig(configs, name, defaultValue)));
    }

    private void rebuildTick() {
        rebuild.tick(tickBudget);
        reportRebuild();
    }

    private void reportRebuild() {
        progress.update(rebuild.status(), System.nanoTime());
        if (!rebuild.working() && ticks != null) {
            // An idle wall-clock punctuator would make the task commit every tick for nothing.
            ticks.cancel();
            ticks = null;
        }
    }

    private RebuildMachine.Store rebuildStore() {
        return new RebuildMachine.Store() {
            @Override
            public byte[] get(String key) {
                return snapshots.get(key);
            }

            @Override
            public void put(String key, byte[] value) {
                decodedSnapshots.forget(key);
                snapshots.put(key, value);
            }

            @Override
            public void delete(String key) {
                decodedSnapshots.forget(key);
                snapshots.delete(key);
            }

            @Override
            public List<Map.Entry<String, byte[]>> after(String afterKey, int max) {
                List<Map.Entry<String, byte[]>> entries = new ArrayList<>(Math.min(max, 256));
                // Copied out before any write, so no write happens while the iterator is open.
                try (KeyValueIterator<String, byte[]> range = snapshots.range(afterKey == null ? RebuildMarker.KEY : afterKey, null)) {
                    while (range.hasNext() && entries.size() < max) {
                        var next = range.next();
                        if (!next.key.equals(RebuildMarker.KEY) && !next.key.equals(afterKey)) {
                            entries.add(new AbstractMap.SimpleImmutableEntry<>(next.key, next.value));
                        }
                    }
                }
                return entries;
            }
        };
    }

    /** A rebuilt snapshot to the snapshots topic, with the headers of the event that made it, and to the store's waiters. */
    private void publishRebuilt(String aggregateId, String commandId, long version, byte[] snapshot, long timestamp) {
        context.forward(outputs.snapshot(aggregateId, commandId, version, snapshot, timestamp, null));
        snapshotChanges.changed(aggregateId);
    }

    @Override
    public void close() {
        decodedSnapshots.clear();
        if (rebuild != null) {
            rebuild.close();
            progress.closed();
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        long start = System.nanoTime();
        try {
            handleRecord(record);
        } finally {
            metrics.handled(System.nanoTime() - start);
        }
    }

    private void handleRecord(Record<String, byte[]> record) {
        DecodedCommand<C> decoded = DecodedCommand.decode(reader, record.value(), EventfoldHeaders.commandId(record.headers()));
        String aggregateId = record.key() == null || record.key().isBlank() ? decoded.envelopeAggregateId() : record.key();
        try (HandlingScope scope = HandlingScope.command(tracing, type.name(), record, context.recordMetadata(), aggregateId,
                decoded.commandId())) {
            outputs.handling(scope.work());
            process(record, decoded);
        } finally {
            outputs.handling(TracedWork.NONE);
        }
    }

    private void process(Record<String, byte[]> record, DecodedCommand<C> decoded) {
        String key = record.key();
        DecodedCommand.Disposition disposition = decoded.disposition(key);
        if (disposition == DecodedCommand.Disposition.ANSWERED_ON_ENVELOPE_ID) {
            answerKeyless(record, decoded, missingKey(key));
            return;
        }
        if (disposition == DecodedCommand.Disposition.DEAD_LETTERED) {
            deadLetter(record, decoded.error(), key == null || key.isBlank()
                    ? missingKey(key) + " and the envelope names no " + (decoded.commandId() == null ? "command id" : "aggregate id")
                    : "no command id in the envelope or the " + EventfoldHeaders.COMMAND_ID + " header");
            return;
        }
        if (rebuild.phase() == io.eventfold.kafka.RebuildStatus.Phase.STARTING) {
            // A fresh partition decides at its first command, not a tick later.
            rebuild.decide();
            reportRebuild();
        }
        Provenance provenance = provenance(decoded);
        Optional<CommandResult<E, S>> earlier;
        try {
            earlier = commandIds.answer(key, decoded.commandId(), context.currentSystemTimeMs());
        } catch (RuntimeException unreadable) {
            // Handling it again could apply it twice; answering nothing would stop the stream.
            LOG.error("{}: the remembered answer of command {} for aggregate {} at {} cannot be read: {}", type.name(),
                    bounded(decoded.commandId()), bounded(key), source(), bounded(unreadable.toString()));
            answer(record, key, new CommandResult.Failed<>(decoded.commandId(), key, currentVersionOrZero(key),
                    unreadable.getClass().getName(), "the remembered answer of this command cannot be read: " + unreadable.getMessage()),
                    provenance);
            return;
        }
        String waits = rebuild.handlesCommands() ? rebuild.incompleteEntry(key, key == null ? null : snapshots.get(key))
                : rebuild.refusal();
        if (earlier.isPresent()) {
            CommandResult<E, S> original = earlier.get();
            // While entries are incomplete their versions say nothing of what a command changed.
            if (waits != null || !stateChangeLost(key, original)) {
                LOG.debug("{}: duplicate command {} for {} at {}: re-sent its result", type.name(),
                        bounded(decoded.commandId()), bounded(key), source());
                sendResult(record, original, writer.result(original), true, provenance);
                return;
            }
            LOG.warn("{}: command {} for aggregate {} at {} was accepted at version {}, but the stored snapshot is older"
                    + " (a crash under at_least_once?): handling it again", type.name(), bounded(decoded.commandId()),
                    bounded(key), source(), original.version());
        }
        if (waits != null) {
            refuseWhileRebuilding(record, key, decoded.commandId(), waits, provenance);
            return;
        }
        CommandResult<E, S> failure = rejectUnusable(record, key, decoded);
        if (failure != null) {
            answer(record, key, failure, provenance);
            return;
        }
        handle(record, key, decoded.command(), provenance);
    }

    /** Not remembered: a resend with the same command id is handled once the snapshots are complete. */
    private void refuseWhileRebuilding(Record<String, byte[]> record, String key, String commandId, String reason,
                                       Provenance provenance) {
        Optional<String> deadlineId = EventfoldHeaders.read(record.headers(), EventfoldHeaders.DEADLINE);
        if (deadlineId.isPresent() && key != null && commandId != null) {
            // Nobody would send a deadline's command again: keep it to fire once the snapshots are current.
            LOG.info("{}: command {} of deadline {} for aggregate {} at {} held back until the snapshots are current: {}",
                    type.name(), bounded(commandId), bounded(deadlineId.get()), bounded(key), source(), reason);
            deadlines.holdBack(key, deadlineId.get(), context.currentSystemTimeMs(), commandId, record.value());
            deadlineTimer.wakeBy(context.currentSystemTimeMs(), context.currentSystemTimeMs());
            return;
        }
        LOG.debug("{}: command {} for aggregate {} at {} waits: {}", type.name(), bounded(commandId), bounded(key), source(), reason);
        // A failed rebuild or a newer state version needs a person, not a resend: another error type, so gateways stop.
        String errorType = rebuild.refusalIsTemporary() ? SnapshotsRebuildingException.class.getName()
                : rebuild.phase() == io.eventfold.kafka.RebuildStatus.Phase.REFUSING_NEWER ? SnapshotVersionException.class.getName()
                : IllegalStateException.class.getName();
        CommandResult<E, S> result = new CommandResult.Failed<>(commandId, key, 0, errorType, reason);
        sendResult(record, result, writer.result(result), false, provenance);
    }

    private CommandResult<E, S> rejectUnusable(Record<String, byte[]> record, String key, DecodedCommand<C> decoded) {
        if (decoded.error() != null) {
            long version = currentVersionOrZero(key);
            warn(record, key, decoded.commandId(), "cannot decode command: " + decoded.error().getMessage());
            return new CommandResult.Failed<>(decoded.commandId(), key, version,
                    decoded.error().getClass().getName(), decoded.error().getMessage());
        }
        if (!decoded.command().aggregateId().equals(key)) {
            String message = "record key '" + key + "' does not match the envelope's aggregateId '"
                    + decoded.command().aggregateId() + "'";
            warn(record, key, decoded.commandId(), message);
            return new CommandResult.Failed<>(decoded.commandId(), key, currentVersionOrZero(key),
                    EnvelopeFormatException.class.getName(), message);
        }
        return null;
    }

    private void handle(Record<String, byte[]> record, String key, Command<C> command, Provenance provenance) {
        Snapshot<S> current;
        try {
            current = loadSnapshot(key);
        } catch (RuntimeException e) {
            LOG.error("{}: the stored snapshot of aggregate {} cannot be read, so none of its commands can be handled"
                    + " (command {} at {}): {}", type.name(), bounded(key), bounded(command.commandId()), source(),
                    bounded(String.valueOf(e.getMessage())));
            answer(record, key, new CommandResult.Failed<>(command.commandId(), key, 0, e.getClass().getName(),
                    "the stored snapshot of '" + key + "' cannot be read: " + e.getMessage()), provenance);
            return;
        }
        Outcome<E, S> outcome = engine.handle(current, command, Instant.ofEpochMilli(record.timestamp()));
        CommandResult<E, S> sent = sentResult(record, outcome.result());
        EnvelopeWriter.Written encoded;
        List<ScheduledCommand> scheduled;
        try {
            encoded = writer.outcome(outcome.events(), outcome.changed() ? outcome.snapshot() : null, sent);
            scheduled = scheduledCommands(outcome);
        } catch (RuntimeException e) {
            warn(record, key, command.commandId(), "cannot encode the outcome: " + e.getMessage());
            answer(record, key, new CommandResult.Failed<>(command.commandId(), key, current.version(),
                    e.getClass().getName(), e.getMessage() == null ? "" : e.getMessage()), provenance);
            return;
        }
        List<Record<String, Routed>> records = outputRecords(record, key, command, outcome, sent, encoded, provenance);
        String tooLarge = oversized(records, outcome, encoded);
        if (tooLarge == null) {
            tooLarge = oversizedDeadline(key, scheduled, record.timestamp());
        }
        if (tooLarge != null) {
            warn(record, key, command.commandId(), tooLarge);
            answer(record, key, new CommandResult.Failed<>(command.commandId(), key, current.version(),
                    RecordTooLargeException.class.getName(), tooLarge + "; nothing was applied"), provenance);
            return;
        }
        if (outcome.result() instanceof CommandResult.Failed<E, S> failed) {
            warn(record, key, command.commandId(), "command failed: " + failed.errorType() + ": " + failed.message());
        }
        if (encoded.snapshot() != null) {
            snapshots.put(key, encoded.snapshot());
            decodedSnapshots.put(key, outcome.snapshot());
        }
        commandIds.remember(outcome.result(), context.currentSystemTimeMs());
        changeDeadlines(key, outcome, scheduled);
        records.forEach(context::forward);
        metrics.answered(outcome.result().kind());
        metrics.appended(outcome.events().size());
        if (encoded.snapshot() != null) {
            // Wakes the AggregateStore waiters of this aggregate: the store now holds the new version.
            snapshotChanges.changed(key);
        }
    }

    /**
     * The result as sent: an accepted one carries the state only when the command record asks for
     * it, since the state is most of a result's bytes and the snapshots topic has it anyway.
     */
    private static <E, S> CommandResult<E, S> sentResult(Record<String, byte[]> command, CommandResult<E, S> result) {
        return EventfoldHeaders.asksForState(command.headers()) ? result : result.withoutState();
    }

    /** A scheduled deadline's command, encoded when it is scheduled so that a command that cannot be written fails now. */
    private record ScheduledCommand(DeadlineChange.Schedule schedule, long dueMillis, String commandId, byte[] envelope) {
    }

    private List<ScheduledCommand> scheduledCommands(Outcome<E, S> outcome) {
        if (outcome.deadlines().isEmpty()) {
            return List.of();
        }
        Event<E> last = outcome.events().get(outcome.events().size() - 1);
        List<ScheduledCommand> scheduled = new ArrayList<>();
        for (DeadlineChange change : outcome.deadlines()) {
            if (change instanceof DeadlineChange.Schedule schedule) {
                Command<C> fired = schedule.toCommand(last.aggregateId(), last.version(), last.correlationId(), last.metadata());
                scheduled.add(new ScheduledCommand(schedule, schedule.dueAt().toEpochMilli(), fired.commandId(),
                        writer.command(fired)));
            }
        }
        return scheduled;
    }

    /** Why a scheduled deadline's command, or its store entry, could not be written; null if all fit. */
    private String oversizedDeadline(String key, List<ScheduledCommand> scheduled, long timestamp) {
        for (ScheduledCommand command : scheduled) {
            String what = "command of deadline '" + command.schedule().deadlineId() + "'";
            String problem = limits.problem(what, outputs.deadlineCommand(key, command.commandId(),
                    command.schedule().deadlineId(), command.envelope(), timestamp, true));
            if (problem == null) {
                problem = limits.deadlineEntryProblem(DeadlineStore.entryBytes(key, command.schedule().deadlineId(),
                        command.commandId(), command.envelope()));
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** Applies the decision's deadline changes in order, and wakes the timer for the new ones. */
    private void changeDeadlines(String key, Outcome<E, S> outcome, List<ScheduledCommand> scheduled) {
        int next = 0;
        for (DeadlineChange change : outcome.deadlines()) {
            if (change instanceof DeadlineChange.Schedule) {
                ScheduledCommand command = scheduled.get(next++);
                deadlines.schedule(key, change.deadlineId(), command.dueMillis(), command.commandId(), command.envelope());
                deadlineTimer.wakeBy(command.dueMillis(), context.currentSystemTimeMs());
                metrics.deadline(CommandMetrics.DeadlineMeter.SCHEDULED);
            } else {
                deadlines.cancel(key, change.deadlineId());
                metrics.deadline(CommandMetrics.DeadlineMeter.CANCELLED);
            }
        }
    }

    /**
     * The events, the snapshot if the state changed, the result, and its copy to the reply address
     * the command names, in the order they are sent.
     */
    private List<Record<String, Routed>> outputRecords(Record<String, byte[]> commandRecord, String key, Command<C> command,
                                                       Outcome<E, S> outcome, CommandResult<E, S> sent, EnvelopeWriter.Written encoded,
                                                       Provenance provenance) {
        long timestamp = commandRecord.timestamp();
        String commandId = command.commandId();
        List<Record<String, Routed>> records = new ArrayList<>(outcome.events().size() + 3);
        for (int i = 0; i < outcome.events().size(); i++) {
            Event<E> event = outcome.events().get(i);
            boolean last = i == outcome.events().size() - 1;
            records.add(outputs.event(key, commandId, event.version(), type.eventCodec().typeName(event.payload()),
                    encoded.events().get(i), timestamp, Provenance.of(event), last ? outcome.deadlines() : List.of()));
        }
        if (encoded.snapshot() != null) {
            records.add(outputs.snapshot(key, commandId, outcome.snapshot().version(), encoded.snapshot(), timestamp, provenance));
        }
        Record<String, Routed> result = outputs.result(key, commandId, encoded.result(), sent, false, timestamp,
                provenance);
        records.add(result);
        replyAddress(commandRecord).ifPresent(address -> records.add(outputs.reply(result, address)));
        return records;
    }

    /** Where the command's gateway reads its reply: each record's own, so a redelivery is answered where it asks. */
    private Optional<ReplyAddress> replyAddress(Record<String, byte[]> command) {
        return ReplyAddress.of(command.headers(), replyTopics);
    }

    /** Why one of a command's outputs, or what the stores log of it, cannot be written; null if all fit. */
    private String oversized(List<Record<String, Routed>> records, Outcome<E, S> outcome, EnvelopeWriter.Written encoded) {
        int events = outcome.events().size();
        for (int i = 0; i < records.size(); i++) {
            Record<String, Routed> output = records.get(i);
            String topic = output.value().topic();
            String what = i < events ? "event version " + outcome.events().get(i).version()
                    : topic.equals(topics.snapshots()) ? "snapshot" : replyTopics.contains(topic) ? "reply" : "result";
            String problem = limits.problem(what, output);
            if (problem != null) {
                return problem;
            }
        }
        String problem = encoded.snapshot() == null ? null
                : limits.snapshotEntryProblem(outcome.snapshot().aggregateId(), encoded.snapshot());
        return problem != null ? problem : limits.commandIdEntryProblem(outcome.result());
    }

    /** The correlation and kept metadata of a command record whose envelope could be read; null otherwise. */
    private Provenance provenance(DecodedCommand<C> decoded) {
        return decoded.command() == null ? null : Provenance.of(decoded.command(), engine.metadataPolicy());
    }

    /** Answers a command that changes nothing: remember its result (unless a failure) and send it. */
    private void answer(Record<String, byte[]> record, String key, CommandResult<E, S> result, Provenance provenance) {
        String tooLarge = limits.commandIdEntryProblem(result);
        if (tooLarge != null) {
            unanswerable(record, result, tooLarge);
            return;
        }
        if (sendResult(record, result, writer.result(result), false, provenance)) {
            commandIds.remember(result, context.currentSystemTimeMs());
        }
    }

    private static String missingKey(String key) {
        return key == null ? "record has no key" : "record key is blank";
    }

    /** A record without a key whose envelope names its command and aggregate: answered with a failure under that aggregate. */
    private void answerKeyless(Record<String, byte[]> record, DecodedCommand<C> decoded, String problem) {
        String aggregateId = decoded.envelopeAggregateId();
        // Not remembered for deduplication: without a key the record sits on an arbitrary
        // partition, whose stores do not own this aggregate.
        String message = problem + ": commands must be keyed by their aggregate id ('" + aggregateId + "')";
        warn(record, aggregateId, decoded.commandId(), message);
        CommandResult<E, S> result = new CommandResult.Failed<>(decoded.commandId(), aggregateId, 0,
                EnvelopeFormatException.class.getName(), message);
        sendResult(record, result, writer.result(result), false, provenance(decoded));
    }

    /**
     * Sends a result, marked as a duplicate when it answers a command handled before, and its copy
     * to the reply address the command record names; a result or copy too
     * large to send (its ids alone can make it so) sends the command to the dead letters instead.
     *
     * @return whether the result was sent
     */
    private boolean sendResult(Record<String, byte[]> record, CommandResult<E, S> result, byte[] bytes, boolean duplicate,
                               Provenance provenance) {
        Record<String, Routed> output = outputs.result(result.aggregateId(), result.commandId(), bytes, result, duplicate,
                record.timestamp(), provenance);
        Optional<Record<String, Routed>> reply = replyAddress(record).map(address -> outputs.reply(output, address));
        String tooLarge = limits.problem("result", output);
        if (tooLarge == null && reply.isPresent()) {
            tooLarge = limits.problem("reply", reply.get());
        }
        if (tooLarge != null) {
            unanswerable(record, result, tooLarge);
            return false;
        }
        context.forward(output);
        reply.ifPresent(context::forward);
        if (duplicate) {
            metrics.duplicate();
        } else {
            metrics.answered(result.kind());
        }
        return true;
    }

    private void unanswerable(Record<String, byte[]> record, CommandResult<E, S> result, String tooLarge) {
        // The id goes last: it may be what makes the answer too large, and the reason is cut to a bound.
        deadLetter(record, RecordTooLargeException.class.getName(), "the command cannot be answered (" + result.kind()
                + " at version " + result.version() + "): " + tooLarge + "; its command id is " + result.commandId());
    }

    private void deadLetter(Record<String, byte[]> record, RuntimeException error, String problem) {
        deadLetter(record, (error == null ? EnvelopeFormatException.class : error.getClass()).getName(),
                error == null ? problem : problem + "; " + error.getMessage());
    }

    /** The command record to the dead letters, or, if it is too large to copy, a small record naming it. */
    private void deadLetter(Record<String, byte[]> record, String errorType, String reason) {
        String source = source();
        Record<String, Routed> letter = outputs.deadLetter(record, errorType, reason, source);
        String tooLarge = limits.problem("dead letter", letter);
        if (tooLarge != null) {
            reason = tooLarge + ", so it names the command record at " + source + " instead of copying it; " + reason;
            letter = outputs.deadLetterInPlaceOf(record, errorType, reason, source);
        }
        LOG.warn("{}: command record at {} sent to {}: {}", type.name(), source, topics.deadLetters(), bounded(reason));
        context.forward(letter);
        metrics.deadLettered();
    }

    /**
     * Whether a remembered command changed the state to a version the snapshot store does not hold.
     * Under exactly_once_v2 both stores commit together and this never happens. Under
     * at_least_once the command-id store, which has no cache, can reach its changelog before the
     * cached snapshot does; after a crash in between, the command is handled again rather than
     * answered from memory, so the state change is repeated instead of lost.
     */
    private boolean stateChangeLost(String key, CommandResult<E, S> original) {
        if (!(original instanceof CommandResult.AlreadyAccepted<E, S> accepted) || accepted.eventCount() == 0) {
            return false;
        }
        try {
            return accepted.version() > loadSnapshot(key).version();
        } catch (RuntimeException unreadable) {
            // Handling it again could only fail and overwrite the remembered result; answer from memory.
            return false;
        }
    }

    private Snapshot<S> loadSnapshot(String key) {
        Snapshot<S> kept = decodedSnapshots.get(key);
        if (kept != null) {
            return kept;
        }
        byte[] stored = snapshots.get(key);
        if (stored == null) {
            return Snapshot.initial(key, engine.aggregate());
        }
        Snapshot<S> snapshot = reader.readSnapshot(stored);
        decodedSnapshots.put(key, snapshot);
        return snapshot;
    }

    private long currentVersionOrZero(String key) {
        try {
            return loadSnapshot(key).version();
        } catch (RuntimeException unreadable) {
            return 0;
        }
    }

    private void warn(Record<String, byte[]> record, String aggregateId, String commandId, String message) {
        LOG.warn("{}: command {} for aggregate {} at {}: {}", type.name(), bounded(commandId), bounded(aggregateId), source(),
                bounded(message));
    }

    /** Ids and messages in log lines are bounded like error texts: an oversized id is bad input too. */
    private static String bounded(String text) {
        return text == null ? null : ErrorText.bounded(text);
    }

    private String source() {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        return RecordPosition.describe(metadata, "(punctuation)");
    }
}
