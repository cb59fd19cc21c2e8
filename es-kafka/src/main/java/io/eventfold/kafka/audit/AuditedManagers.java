package io.eventfold.kafka.audit;

import io.eventfold.core.CommandResult;
import io.eventfold.core.ErrorText;
import io.eventfold.core.Event;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.ProcessManagerType;
import io.eventfold.kafka.internal.EnvelopeReader;
import io.eventfold.kafka.internal.EnvelopeSchema;
import io.eventfold.kafka.internal.RecordPosition;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * The process managers an audit checks, and the reads they need beyond the target type's own
 * topics: how far each manager has read its source type's events (taken before the target's
 * commands end, so every command it sent for an event before that position is within what the
 * audit reads), its dead-letter topic, and the replay of its source events.
 */
final class AuditedManagers {

    private final Map<String, Audited<?, ?, ?>> managers = new LinkedHashMap<>();

    AuditedManagers(List<ProcessManagerType<?, ?, ?>> types, Violations violations) {
        for (ProcessManagerType<?, ?, ?> type : types) {
            managers.put(type.name(), Audited.of(type, violations));
        }
    }

    /**
     * How far each manager has read its source events: the application's committed offsets when
     * its id is known, else the events' ends now (the manager is assumed to have caught up).
     */
    void takePositions(TopicReader reader, Properties consumerProperties, String applicationId, Duration timeout) {
        for (Audited<?, ?, ?> manager : managers.values()) {
            String events = manager.type.source().topics().events();
            int partitions = reader.partitions(events);
            manager.position = applicationId == null ? reader.ends(events, partitions)
                    : ApplicationPosition.read(consumerProperties, applicationId, events, partitions, timeout);
        }
    }

    /** Reads each manager's dead-letter topic: the source events it passed over. */
    void readDeadLetters(TopicReader reader) {
        for (Audited<?, ?, ?> manager : managers.values()) {
            String topic = manager.type.topics().deadLetters();
            String events = manager.type.source().topics().events();
            int partitions = reader.partitions(topic);
            long[] ends = reader.ends(topic, partitions);
            for (int partition = 0; partition < partitions; partition++) {
                TopicReader.Extent extent = reader.read(topic, partition, partitions, ends[partition], record ->
                        EventfoldHeaders.read(record.headers(), EventfoldHeaders.SOURCE).flatMap(RecordPosition::parse)
                                .filter(source -> source.topic().equals(events)).ifPresent(manager.commands::deadLetter));
                if (extent.trimmed()) {
                    manager.commands.heldFrom(heldFrom(extent));
                }
            }
        }
    }

    /**
     * A record of the target's commands topic: one of a manager's commands if it carries an
     * audited manager's name.
     *
     * @param beyondMark whether the target had not handled it when the audit took its first mark
     * @param pending the commands left out of the checks because a record of theirs is beyond that mark
     */
    void command(ConsumerRecord<String, byte[]> record, boolean beyondMark, Set<CommandLedger.CommandKey> pending) {
        Audited<?, ?, ?> manager = EventfoldHeaders.read(record.headers(), EventfoldHeaders.PROCESS_MANAGER).map(managers::get)
                .orElse(null);
        if (manager != null) {
            String commandId = EventfoldHeaders.commandId(record.headers()).orElse("");
            manager.commands.sent(record.key(), commandId, record.partition(), record.offset(),
                    beyondMark || pending.contains(new CommandLedger.CommandKey(record.key(), commandId)));
        }
    }

    /** After a target partition's checks: which commands sent there have a final result. */
    void answered(int partition, Function<CommandLedger.CommandKey, CommandResult.Kind> finalKind) {
        managers.values().forEach(manager -> manager.commands.answered(partition, finalKind));
    }

    /**
     * Replays each manager over its source events up to its position, and counts.
     *
     * @param commandsHeldFrom the timestamp of the oldest record held by a target commands
     *     partition that lost records, {@code Long.MIN_VALUE} when none did
     */
    List<ProcessManagerCounts> replay(TopicReader reader, long commandsHeldFrom) {
        List<ProcessManagerCounts> counts = new ArrayList<>();
        for (Audited<?, ?, ?> manager : managers.values()) {
            manager.commands.heldFrom(commandsHeldFrom);
            counts.add(manager.replay(reader));
        }
        return counts;
    }

    /** The time of the oldest record a partition that lost records holds; everything before "now" when it holds none. */
    static long heldFrom(TopicReader.Extent extent) {
        return extent.firstTimestamp() >= 0 ? extent.firstTimestamp() : System.currentTimeMillis();
    }

    /** One manager, with its types bound. */
    private static final class Audited<E, S, C> {

        final ProcessManagerType<E, S, C> type;
        final ManagerCommands<E, S, C> commands;
        long[] position;

        private Audited(ProcessManagerType<E, S, C> type, Violations violations) {
            this.type = type;
            this.commands = new ManagerCommands<>(type, violations);
        }

        static <E, S, C> Audited<E, S, C> of(ProcessManagerType<E, S, C> type, Violations violations) {
            return new Audited<>(type, violations);
        }

        ProcessManagerCounts replay(TopicReader reader) {
            // The manager reads its events as the topology does: one event per record, upcast.
            EnvelopeReader<?, E, ?> events = new EnvelopeReader<>(EnvelopeSchema.of(type.source()));
            String topic = type.source().topics().events();
            for (int partition = 0; partition < position.length; partition++) {
                reader.read(topic, partition, position.length, position[partition], record -> {
                    Event<E> event;
                    try {
                        event = events.readEvent(record.value());
                    } catch (RuntimeException unreadable) {
                        commands.unreadable(RecordPosition.of(record), ErrorText.bounded(String.valueOf(unreadable.getMessage())));
                        return;
                    }
                    commands.event(RecordPosition.of(record), record.timestamp(), event);
                });
                commands.partitionReplayed();
            }
            return commands.finish();
        }
    }
}
