package io.eventfold.kafka.internal;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ErrorText;
import io.eventfold.core.Event;
import io.eventfold.core.ProcessManagerEngine;
import io.eventfold.core.ProcessState;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.ProcessManagerType;
import io.eventfold.kafka.SnapshotsRebuildingException;
import io.eventfold.kafka.StoreNames;
import io.eventfold.kafka.internal.metrics.ManagerMetrics;
import io.eventfold.kafka.internal.metrics.Meters;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one process manager: reads its source type's events and its own replies topic (the two are
 * co-partitioned, so a task sees the results of the commands it sent), lets the
 * {@link ProcessManagerEngine} react, stores the position per source aggregate and the commands
 * sent, and forwards the commands. It holds no business rule.
 *
 * <p>Under {@code exactly_once_v2} the stores, the commands and the input offsets of one input
 * commit together. A command refused because the target partition rebuilds its snapshots is sent
 * again a second later (the target did not remember it); every other result is the manager's input.
 * An input the manager fails on, or that cannot be read, goes to the manager's dead-letter topic
 * with the reason; the manager goes on.
 */
public final class ProcessManagerProcessor<E, S, C> implements Processor<String, byte[], String, Routed> {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessManagerProcessor.class);
    /** How long a command the target refused while rebuilding waits before it is sent again. */
    private static final Duration RESEND_AFTER = Duration.ofSeconds(1);

    private final ProcessManagerType<E, S, C> type;
    private final ProcessManagerEngine<E, S, C> engine;
    private final EnvelopeReader<?, E, ?> events;
    private final EnvelopeReader<C, ?, ?> targetReader;
    private final EnvelopeWriter<C, ?, ?> targetWriter;

    private ProcessorContext<String, Routed> context;
    private KeyValueStore<String, byte[]> positions;
    private SentCommands sent;
    private ReplyAddress replyAddress;
    private OutputLimits limits;
    private Cancellable resends;
    private String stateChangelog;
    private String pendingChangelog;
    private ManagerMetrics metrics = ManagerMetrics.NONE;
    private Tracing tracing;
    /** The work on the input being processed: the commands it sends continue its trace. NONE in punctuations. */
    private TracedWork reaction = TracedWork.NONE;

    /**
     * A processor for one manager.
     *
     * @param type the process manager type
     */
    public ProcessManagerProcessor(ProcessManagerType<E, S, C> type) {
        this.type = type;
        this.engine = type.engine();
        this.events = new EnvelopeReader<>(EnvelopeSchema.of(type.source()));
        this.targetReader = new EnvelopeReader<>(EnvelopeSchema.of(type.target()));
        this.targetWriter = new EnvelopeWriter<>(EnvelopeSchema.of(type.target()));
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.positions = context.getStateStore(type.stateStore());
        this.sent = new SentCommands(context.getStateStore(type.pendingStore()));
        // The replies topic has as many partitions as the source events: this task's partition is its own.
        this.replyAddress = new ReplyAddress(type.topics().replies(), context.taskId().partition());
        this.limits = OutputLimits.of(context.appConfigs());
        this.stateChangelog = StoreNames.changelog(context.applicationId(), type.stateStore());
        this.pendingChangelog = StoreNames.changelog(context.applicationId(), type.pendingStore());
        this.metrics = Meters.manager(context.appConfigs(), type.name(), type.topics().deadLetters());
        this.tracing = Tracing.of(context.appConfigs());
        if (sent.anyWaitsToBeResent()) {
            armResends();
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        try (HandlingScope scope = HandlingScope.reaction(tracing, type.name(), record, context.recordMetadata())) {
            reaction = scope.work();
            if (topic.equals(type.topics().replies())) {
                onReply(record);
            } else {
                onEvent(record);
            }
        } finally {
            reaction = TracedWork.NONE;
        }
    }

    private void onEvent(Record<String, byte[]> record) {
        Event<E> event;
        try {
            event = events.readEvent(record.value());
        } catch (RuntimeException unreadable) {
            deadLetter(record, unreadable.getClass().getName(), "cannot read the event: " + unreadable.getMessage());
            return;
        }
        ProcessState<S> current = position(record, event.aggregateId());
        if (current == null) {
            return;
        }
        ProcessManagerEngine.Step<S, C> step = engine.onEvent(current, event);
        if (step.replayed()) {
            LOG.debug("{}: event {}@{} of {} handled before, at {}: passed over", type.name(), event.aggregateId(),
                    event.version(), type.source().name(), source());
            return;
        }
        apply(record, event.aggregateId(), current, step, "event " + event.aggregateId() + "@" + event.version());
    }

    private void onReply(Record<String, byte[]> record) {
        String commandId = EventfoldHeaders.commandId(record.headers()).orElse(null);
        SentCommands.Pending pending = commandId == null ? null : sent.get(commandId);
        if (pending == null || pending.waitsToBeResent()) {
            // A result sent again for a redelivery, or one answered before: the manager had it once.
            LOG.debug("{}: reply for command {} at {} is not awaited: passed over", type.name(), bounded(commandId), source());
            return;
        }
        CommandResult<?, ?> result;
        Command<C> command;
        try {
            result = targetReader.readResult(record.value());
            command = targetReader.readCommand(pending.envelope());
        } catch (RuntimeException unreadable) {
            sent.answered(commandId);
            deadLetter(record, unreadable.getClass().getName(), "cannot read the result of command " + commandId + ": "
                    + unreadable.getMessage());
            return;
        }
        if (result instanceof CommandResult.Failed<?, ?> failed
                && failed.errorType().equals(SnapshotsRebuildingException.class.getName())) {
            LOG.info("{}: command {} for {} {} refused while its partition rebuilds snapshots: sent again in {} ms",
                    type.name(), bounded(commandId), type.target().name(), bounded(command.aggregateId()), RESEND_AFTER.toMillis());
            sent.resendAt(pending, context.currentSystemTimeMs() + RESEND_AFTER.toMillis());
            armResends();
            metrics.result(result.kind());
            return;
        }
        sent.answered(commandId);
        metrics.result(result.kind());
        ProcessState<S> current = position(record, pending.sourceAggregateId());
        if (current == null) {
            return;
        }
        apply(record, pending.sourceAggregateId(), current, engine.onResult(current, pending.sourceAggregateId(), command, result),
                "the result of command " + commandId);
    }

    /** Stores the next position, and sends the step's commands, or dead-letters the input the manager failed on. */
    private void apply(Record<String, byte[]> input, String sourceAggregateId, ProcessState<S> current,
                       ProcessManagerEngine.Step<S, C> step, String what) {
        if (step.failed()) {
            LOG.warn("{}: the manager failed on {} at {}: {}: {}", type.name(), what, source(), step.errorType(),
                    bounded(step.message()));
            deadLetter(input, step.errorType(), "the manager failed on " + what + ": " + step.message());
            keepPosition(sourceAggregateId, step.state());
            return;
        }
        List<Record<String, Routed>> commands = new ArrayList<>(step.commands().size());
        List<byte[]> envelopes = new ArrayList<>(step.commands().size());
        byte[] position;
        try {
            for (Command<C> command : step.commands()) {
                byte[] envelope = targetWriter.command(command);
                Record<String, Routed> output = commandRecord(command.aggregateId(), command.commandId(), envelope);
                String tooLarge = limits.problem("command " + command.commandId(), output);
                if (tooLarge != null) {
                    throw new RecordTooLargeException(tooLarge);
                }
                tooLarge = limits.problem("pending entry of command " + command.commandId(), pendingChangelog,
                        SentCommands.entryBytes(command.commandId(), sourceAggregateId, envelope));
                if (tooLarge != null) {
                    throw new RecordTooLargeException(tooLarge);
                }
                envelopes.add(envelope);
                commands.add(output);
            }
            position = type.writeState(step.state());
            String tooLarge = limits.problem("state for '" + sourceAggregateId + "'", stateChangelog,
                    RecordSize.upperBound(sourceAggregateId.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, position.length));
            if (tooLarge != null) {
                throw new RecordTooLargeException(tooLarge);
            }
        } catch (RuntimeException unwritable) {
            LOG.warn("{}: the reaction to {} at {} cannot be written: {}", type.name(), what, source(),
                    bounded(unwritable.toString()));
            deadLetter(input, unwritable.getClass().getName(), "the reaction to " + what + " cannot be written: "
                    + unwritable.getMessage());
            keepPosition(sourceAggregateId, new ProcessState<>(step.state().lastVersion(), step.state().resultsSeen(), current.state()));
            return;
        }
        positions.put(sourceAggregateId, position);
        for (int i = 0; i < commands.size(); i++) {
            sent.sent(step.commands().get(i).commandId(), sourceAggregateId, envelopes.get(i));
            context.forward(commands.get(i));
        }
        metrics.sent(commands.size(), false);
    }

    /**
     * Stores the position after an input the manager failed on, so it is not handled again; a state
     * that cannot even be written is left as it was (the input is in the dead letters already).
     */
    private void keepPosition(String sourceAggregateId, ProcessState<S> position) {
        try {
            positions.put(sourceAggregateId, type.writeState(position));
        } catch (RuntimeException unwritable) {
            LOG.error("{}: the state for {} cannot be written, left as it was: {}", type.name(), bounded(sourceAggregateId),
                    bounded(unwritable.toString()));
        }
    }

    /** The manager's position for a source aggregate; null (and the input dead-lettered) when it cannot be read. */
    private ProcessState<S> position(Record<String, byte[]> input, String sourceAggregateId) {
        byte[] stored = positions.get(sourceAggregateId);
        if (stored == null) {
            return engine.initial();
        }
        try {
            return type.readState(stored);
        } catch (RuntimeException unreadable) {
            LOG.error("{}: the stored state for {} cannot be read (input at {}): {}", type.name(), bounded(sourceAggregateId),
                    source(), bounded(unreadable.toString()));
            deadLetter(input, unreadable.getClass().getName(), "the manager's stored state for '" + sourceAggregateId
                    + "' cannot be read: " + unreadable.getMessage());
            return null;
        }
    }

    private Record<String, Routed> commandRecord(String aggregateId, String commandId, byte[] envelope) {
        return OutputRecords.managerCommand(type.target().topics().commands(), aggregateId, commandId, envelope, type.name(),
                replyAddress, context.currentSystemTimeMs(), reaction);
    }

    private void armResends() {
        if (resends == null) {
            resends = context.schedule(RESEND_AFTER, PunctuationType.WALL_CLOCK_TIME, this::resend);
        }
    }

    /** Sends again the commands a rebuilding target refused; disarms once none waits. */
    private void resend(long nowMillis) {
        for (SentCommands.Pending pending : sent.resendDue(nowMillis)) {
            String aggregateId;
            try {
                aggregateId = targetReader.readCommand(pending.envelope()).aggregateId();
            } catch (RuntimeException unreadable) {
                // Written by this manager, so only a broken upcaster gets here; a punctuation must not stop the thread.
                LOG.error("{}: command {} waiting to be sent again cannot be read, dropped: {}", type.name(),
                        bounded(pending.commandId()), bounded(unreadable.toString()));
                sent.answered(pending.commandId());
                continue;
            }
            sent.sent(pending.commandId(), pending.sourceAggregateId(), pending.envelope());
            context.forward(commandRecord(aggregateId, pending.commandId(), pending.envelope()));
            metrics.sent(1, true);
        }
        if (!sent.anyWaitsToBeResent()) {
            resends.cancel();
            resends = null;
        }
    }

    /** The input with the reason, or, if it is too large to copy, a small record naming where it is. */
    private void deadLetter(Record<String, byte[]> input, String errorType, String reason) {
        reaction.failed(errorType, reason);
        String topic = type.topics().deadLetters();
        Record<String, Routed> letter = OutputRecords.deadLetter(topic, input, errorType, reason, source());
        String tooLarge = limits.problem("dead letter", letter);
        if (tooLarge != null) {
            letter = OutputRecords.deadLetterInPlaceOf(topic, input, errorType, tooLarge + ", so it names the input at "
                    + source() + " instead of copying it; " + reason, source());
        }
        context.forward(letter);
        metrics.deadLettered();
    }

    private String source() {
        return RecordPosition.describe(context.recordMetadata(), "(punctuation)");
    }

    private static String bounded(String text) {
        return text == null ? null : ErrorText.bounded(text);
    }
}
