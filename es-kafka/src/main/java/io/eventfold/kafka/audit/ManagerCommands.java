package io.eventfold.kafka.audit;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ProcessManagerEngine;
import io.eventfold.core.ProcessState;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.ProcessManagerType;
import io.eventfold.kafka.internal.RecordPosition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The commands one process manager sent, as its target type's commands topic holds them (the
 * records with its name in {@link EventfoldHeaders#PROCESS_MANAGER}), checked against a replay of
 * the manager over its source type's events: the ids it derives from each event are the ids it
 * must have sent. Told, in this order: the commands sent (partition by partition of the target,
 * each partition's then told which of them have a final result), the source events the manager
 * dead-lettered, then the source events, partition by partition, up to the manager's position.
 *
 * <p>The replay runs the same {@link ProcessManagerEngine} as the topology, on the events alone,
 * with the manager's rules for what it passes over: an event it dead-lettered (it failed on it, or
 * could not write what it sent) changes its version and not its state. Results are not replayed
 * (the logs do not say when each reached the manager), so the manager's reactions to events must
 * not depend on state that only {@code onResult} changes; the commands it sent in reply to results
 * are counted, and checked like every command for one final result.
 *
 * <p>Rules: every command the replay derives from an event is on the target's commands topic,
 * for the aggregate the replay names; every command sent for an event the replay reached is one
 * the replay derives; every command with the manager's header has an id the manager makes. When
 * the target's commands topic (or the manager's dead-letter topic) has lost records, a command
 * derived from an event older than the oldest record held may have been deleted: counted as
 * outside the window.
 *
 * <p>Memory: the ids of the commands held by the target's commands topic (its retention bounds
 * them), and during the replay of a source partition the manager's position per aggregate of it.
 *
 * @param <E> the source event type
 * @param <S> the manager's state type
 * @param <C> the target command type
 */
final class ManagerCommands<E, S, C> {


    private final String name;
    private final String sourceType;
    private final String idPrefix;
    private final String targetCommands;
    private final String deadLetterTopic;
    private final ProcessManagerEngine<E, S, C> engine;
    private final Violations violations;
    private final Map<String, Sent> sent = new HashMap<>();
    private final Map<Integer, Set<Long>> deadLettered = new HashMap<>();
    private final Map<String, ProcessState<S>> states = new HashMap<>();
    private Map<String, List<Sent>> bySource;
    private long heldFromMillis = Long.MIN_VALUE;
    private long expected;
    private long deadLetteredEvents;
    private long outsideWindow;

    ManagerCommands(ProcessManagerType<E, S, C> type, Violations violations) {
        this.name = type.name();
        this.sourceType = type.source().name();
        this.idPrefix = name + "/" + sourceType + "/";
        this.targetCommands = type.target().topics().commands();
        this.deadLetterTopic = type.topics().deadLetters();
        this.engine = type.engine();
        this.violations = violations;
    }

    String name() {
        return name;
    }

    /**
     * A record on the target's commands topic that carries this manager's name.
     *
     * @param pending whether the target had not handled it when the audit took its first mark
     */
    void sent(String aggregateId, String commandId, int partition, long offset, boolean pending) {
        Sent entry = sent.get(commandId);
        if (entry == null) {
            SourceId id = parse(commandId);
            if (id == null) {
                violations.add("command " + Violations.id(commandId) + " on " + new RecordPosition(targetCommands, partition, offset)
                        + " carries " + EventfoldHeaders.PROCESS_MANAGER + "=" + name + " but is not a command id " + name
                        + " makes (" + idPrefix + "<aggregate id>/<version or result-n>/<index>)");
                return;
            }
            entry = new Sent(commandId, aggregateId, partition, offset, id);
            sent.put(commandId, entry);
        }
        entry.pending |= pending;
    }

    /** After the target partition's checks: which of the commands sent there have a final result held. */
    void answered(int partition, Function<CommandLedger.CommandKey, CommandResult.Kind> finalKind) {
        sent.forEach((commandId, entry) -> {
            if (entry.partition == partition && !entry.pending) {
                entry.handled = finalKind.apply(new CommandLedger.CommandKey(entry.aggregateId, commandId)) != null;
            }
        });
    }

    /** A record of the manager's dead-letter topic whose input was one of the source's events. */
    void deadLetter(RecordPosition source) {
        deadLettered.computeIfAbsent(source.partition(), p -> new HashSet<>()).add(source.offset());
    }

    /**
     * Where the window starts: the timestamp of the oldest record held by a target commands (or
     * dead-letter) partition that lost records; a command derived from an older event is not required.
     */
    void heldFrom(long millis) {
        heldFromMillis = Math.max(heldFromMillis, millis);
    }

    /** The next event of a source partition, up to the manager's position, in offset order. */
    void event(RecordPosition position, long timestamp, Event<E> event) {
        if (bySource == null) {
            bySource = indexBySource();
        }
        ProcessState<S> current = states.getOrDefault(event.aggregateId(), engine.initial());
        ProcessManagerEngine.Step<S, C> step = engine.onEvent(current, event);
        if (step.replayed()) {
            return; // a version out of place: the source type's audit reports it
        }
        String where = "event " + Violations.id(event.aggregateId()) + "@" + event.version() + " of " + sourceType + " ("
                + position + ")";
        if (isDeadLettered(position)) {
            deadLetteredEvents++;
            states.put(event.aggregateId(), new ProcessState<>(event.version(), current.resultsSeen(), current.state()));
            return;
        }
        states.put(event.aggregateId(), step.state());
        if (step.failed()) {
            violations.add("process manager " + name + " fails on " + where + " (" + step.errorType()
                    + ") but it is not on " + deadLetterTopic);
            return;
        }
        List<Command<C>> commands = step.commands();
        for (Command<C> command : commands) {
            Sent entry = sent.get(command.commandId());
            if (entry == null) {
                if (timestamp < heldFromMillis) {
                    outsideWindow++;
                } else {
                    expected++;
                    violations.add(where + ": process manager " + name + " sends command " + Violations.id(command.commandId())
                            + " to " + Violations.id(command.aggregateId()) + ", but it is not on " + targetCommands);
                }
                continue;
            }
            expected++;
            entry.matched = true;
            if (!entry.aggregateId.equals(command.aggregateId())) {
                violations.add("command " + Violations.id(command.commandId()) + " on " + entry.position() + " goes to "
                        + Violations.id(entry.aggregateId) + ", but process manager " + name + " sends it to "
                        + Violations.id(command.aggregateId()) + " for " + where);
            }
        }
    }

    /** A source event the audit cannot read: the manager dead-letters it; a violation if it did not. */
    void unreadable(RecordPosition position, String error) {
        if (isDeadLettered(position)) {
            deadLetteredEvents++;
        } else {
            violations.add("process manager " + name + " cannot read the event at " + position + " (" + error
                    + ") but it is not on " + deadLetterTopic);
        }
    }

    /**
     * A source partition is replayed: each command sent for an event of its aggregates that the
     * replay reached must be one it derived; commands sent for later events are left out.
     */
    void partitionReplayed() {
        states.forEach((aggregateId, state) -> {
            List<Sent> ofAggregate = bySource.remove(aggregateId);
            if (ofAggregate == null) {
                return;
            }
            for (Sent entry : ofAggregate) {
                if (entry.matched) {
                    continue;
                }
                if (entry.source.version() <= state.lastVersion()) {
                    violations.add("command " + Violations.id(entry.commandId) + " on " + entry.position()
                            + " was sent by process manager " + name + " for event " + Violations.id(aggregateId) + "@"
                            + entry.source.version() + " of " + sourceType + ", but its replay sends no such command");
                } else {
                    entry.pending = true; // the manager was past the position the audit took
                }
            }
        });
        states.clear();
    }

    /** The counts; every command sent for a source aggregate the replay never reached is left out. */
    ProcessManagerCounts finish() {
        if (bySource != null) {
            bySource.values().forEach(entries -> entries.forEach(entry -> entry.pending |= !entry.matched));
        }
        long handled = 0;
        long fromResults = 0;
        long pending = 0;
        for (Sent entry : sent.values()) {
            handled += entry.handled ? 1 : 0;
            fromResults += entry.source.version() < 0 ? 1 : 0;
            pending += entry.pending ? 1 : 0;
        }
        return new ProcessManagerCounts(name, expected, sent.size(), fromResults, handled, deadLetteredEvents, pending,
                outsideWindow);
    }

    private boolean isDeadLettered(RecordPosition position) {
        Set<Long> offsets = deadLettered.get(position.partition());
        return offsets != null && offsets.contains(position.offset());
    }

    /** The commands sent in reaction to events, by source aggregate. */
    private Map<String, List<Sent>> indexBySource() {
        Map<String, List<Sent>> index = new HashMap<>();
        sent.values().stream().filter(entry -> entry.source.version() >= 0)
                .forEach(entry -> index.computeIfAbsent(entry.source.aggregateId(), id -> new ArrayList<>()).add(entry));
        return index;
    }

    /**
     * What a command id of this manager says of its cause: {@code <prefix><aggregate>/<version>/<index>}
     * or {@code <prefix><aggregate>/result-<n>/<index>} (version -1); null if it is not one.
     */
    private SourceId parse(String commandId) {
        return engine.originOf(commandId).map(origin -> new SourceId(origin.sourceAggregateId(), origin.eventVersion())).orElse(null);
    }

    /** The source aggregate and event version a command id names; version -1 for a reaction to a result. */
    private record SourceId(String aggregateId, long version) {
    }

    /** What is kept of a command sent. */
    private final class Sent {
        final String commandId;
        final String aggregateId;
        final int partition;
        final long offset;
        final SourceId source;
        boolean pending;
        boolean handled;
        boolean matched;

        Sent(String commandId, String aggregateId, int partition, long offset, SourceId source) {
            this.commandId = commandId;
            this.aggregateId = aggregateId;
            this.partition = partition;
            this.offset = offset;
            this.source = source;
        }

        RecordPosition position() {
            return new RecordPosition(targetCommands, partition, offset);
        }
    }
}
