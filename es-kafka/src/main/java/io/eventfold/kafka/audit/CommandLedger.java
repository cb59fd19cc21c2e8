package io.eventfold.kafka.audit;

import io.eventfold.core.CommandResult;
import io.eventfold.core.HistoryInvariants;
import io.eventfold.kafka.internal.RecordPosition;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the results, command records and events of one partition number say about each command,
 * and which of them the retained window lets the audit check. The results are told first, then
 * the command records (twice when the results partition has lost records, see below), then the
 * events.
 *
 * <p><b>Memory.</b> Per command with a result held on the results partition it keeps ids and
 * counts, never records: the kinds of its results, how many events the one that counts
 * announces, how many it re-sent, how many records asked for it and the offsets of its last
 * few, how many events carry its id. The results partition's retention bounds that. Besides,
 * the ids of the commands that are violations (a record inside the window without a result,
 * events without a result), each once. Of the other command records, only a count: the commands
 * partition holds up to a week, so its records before the window are never kept.
 *
 * <p><b>The window.</b> The brokers delete a partition's oldest records first. The commands,
 * events and results of a partition number are written in one order by the one task that
 * handles that partition's commands, so when the results partition has lost its oldest records,
 * the results lost are those of the oldest commands and events. On the commands and on the
 * events partition the window therefore starts at the first record whose own result is still
 * held: before it, a record without a result is counted as outside the window; from it on, it
 * is a violation. When the results partition has lost nothing, everything is checked.
 * <ul>
 *   <li>A command id asked for by {@code n} records has {@code n} results (re-sent ones
 *       included), one per record, written in the records' order: with {@code r} results held,
 *       its last {@code min(n, r)} records have theirs, and its earlier ones are without. The
 *       commands window starts at the earliest record that has its result, known only once the
 *       whole partition is read: a first pass ({@link #command}) finds it and counts the records
 *       without a result, a second one from there ({@link #commandInWindow}) finds the records
 *       without a result inside the window.</li>
 *   <li>Only an accepted command writes events, so an event whose command has an accepted result
 *       held is that result's; the events window starts at the first such event.</li>
 * </ul>
 * The checks of results themselves (one final result, the events of the one that counts) hold
 * for every result held: results and their events are complete from the first result held on,
 * since events are never deleted.
 *
 * <p>Commands not yet handled when the audit took its snapshot of the topics ({@code pending})
 * are left out of every check: their results, records and events.
 */
final class CommandLedger {

    private final String commandsTopic;
    private final int partition;
    private final Set<CommandKey> pending;
    private final Violations violations;
    private final Map<CommandKey, Entry> entries = new HashMap<>();
    private final Set<CommandKey> lost = new HashSet<>();
    private final Set<CommandKey> eventsWithoutResult = new HashSet<>();
    private boolean resultsTrimmed;
    private long windowStart = -1;
    private boolean eventsWindowStarted;
    /** First pass, on a trimmed partition: keyed records whose command has no result held, wherever they are. */
    private long recordsWithoutResult;
    /** Second pass: those of them inside the window. */
    private long recordsWithoutResultInWindow;
    private long pendingRecords;
    private long commandsOutsideWindow;
    private long eventsOutsideWindow;

    /**
     * @param pending the commands with a record the application had not handled when the audit
     *     took the topics' ends: left out
     * @param violations where violations go
     */
    CommandLedger(String commandsTopic, int partition, Set<CommandKey> pending, Violations violations) {
        this.commandsTopic = commandsTopic;
        this.partition = partition;
        this.pending = pending;
        this.violations = violations;
    }

    /** A result held on this results partition; a re-sent duplicate counts only as the answer to a record. */
    void result(String aggregateId, String commandId, CommandResult.Kind kind, int eventsAnnounced, boolean duplicate) {
        CommandKey key = new CommandKey(aggregateId, commandId);
        if (pending.contains(key)) {
            return;
        }
        Entry entry = entries.computeIfAbsent(key, k -> new Entry());
        if (duplicate) {
            entry.duplicates++;
        } else {
            entry.add(kind, eventsAnnounced);
        }
    }

    /** Whether the results partition has lost its oldest records: to be told before the command records come. */
    void resultsTrimmed(boolean trimmed) {
        this.resultsTrimmed = trimmed;
    }

    /** First pass: a keyed command record that was not dead-lettered, in offset order. It must have a result on this partition. */
    void command(long offset, String aggregateId, String commandId) {
        CommandKey key = new CommandKey(aggregateId, commandId);
        if (pending.contains(key)) {
            pendingRecords++;
            return;
        }
        Entry entry = entries.get(key);
        if (entry != null) {
            entry.recordAt(offset);
        } else if (!resultsTrimmed) {
            noResult(key); // nothing was deleted: every record is inside the window
        } else {
            recordsWithoutResult++; // inside the window or not: the second pass tells
        }
    }

    /**
     * Where the second pass over the commands partition starts, once the first is done: the
     * window's start, or -1 when no second pass is needed (the results partition lost nothing,
     * or no record has a result held).
     */
    long secondPassFrom() {
        long start = windowStart();
        return !resultsTrimmed || start == Long.MAX_VALUE ? -1 : start;
    }

    /** Second pass: a keyed command record not dead-lettered, from the window's start on. */
    void commandInWindow(long offset, String aggregateId, String commandId) {
        CommandKey key = new CommandKey(aggregateId, commandId);
        if (offset < windowStart() || pending.contains(key) || entries.containsKey(key)) {
            return; // records of commands with results were counted by the first pass
        }
        recordsWithoutResultInWindow++;
        noResult(key);
    }

    private void noResult(CommandKey key) {
        if (lost.add(key)) {
            HistoryInvariants.oneResult(Violations.id(key.aggregateId()), Violations.id(key.commandId()), List.of())
                    .ifPresent(violations::add);
        }
    }

    /** The offset of the first command record with a result held; Long.MIN_VALUE when nothing was deleted. */
    private long windowStart() {
        if (!resultsTrimmed) {
            return Long.MIN_VALUE;
        }
        if (windowStart < 0) {
            windowStart = entries.values().stream().filter(entry -> entry.records > 0)
                    .mapToLong(Entry::earliestAnswered).min().orElse(Long.MAX_VALUE);
        }
        return windowStart;
    }

    /** An event of this partition: counted for its command, or checked against the window. */
    void event(String aggregateId, String commandId) {
        CommandKey key = new CommandKey(aggregateId, commandId);
        if (pending.contains(key)) {
            return;
        }
        Entry entry = entries.get(key);
        if (entry != null && entry.kinds.length > 0) {
            eventsWindowStarted |= entry.accepted();
            entry.eventsWritten++;
        } else if (!resultsTrimmed || eventsWindowStarted) {
            if (eventsWithoutResult.add(key)) {
                violations.add("events of command " + Violations.id(commandId) + " for " + Violations.id(aggregateId) + " but no result");
            }
        } else {
            eventsOutsideWindow++;
        }
    }

    /**
     * Checks every command of the partition and adds the counts.
     *
     * @return per command answered here with more failures than keyed records of this
     *     partition asked for, how many more: the answers to records without a key (or to
     *     records already deleted)
     */
    Map<CommandKey, Integer> finish(AuditTally tally) {
        long start = windowStart();
        Map<CommandKey, Integer> surplusFailures = new HashMap<>();
        entries.forEach((key, entry) -> {
            check(key, entry, start, tally);
            int surplus = entry.surplusFailures();
            if (surplus > 0) {
                surplusFailures.put(key, surplus);
            }
        });
        commandsOutsideWindow += recordsWithoutResult - recordsWithoutResultInWindow;
        tally.commands += lost.size();
        tally.commandsOutsideWindow += commandsOutsideWindow;
        tally.eventsOutsideWindow += eventsOutsideWindow;
        tally.commandsPending += pendingRecords;
        return surplusFailures;
    }

    private void check(CommandKey key, Entry entry, long windowStart, AuditTally tally) {
        String aggregateId = Violations.id(key.aggregateId());
        String commandId = Violations.id(key.commandId());
        tally.duplicateResults += entry.duplicates;
        if (entry.records > 0) {
            tally.commands++;
        }
        if (entry.kinds.length > 0) {
            List<CommandResult.Kind> kinds = Arrays.asList(entry.kinds);
            tally.results += kinds.size();
            kinds.forEach(kind -> tally.resultsByKind.merge(kind, 1L, Long::sum));
            HistoryInvariants.oneResult(aggregateId, commandId, kinds).ifPresent(violations::add);
            int counts = HistoryInvariants.finalResultIndex(kinds);
            HistoryInvariants.eventsMatchResult(aggregateId, commandId, kinds.get(counts), entry.announced[counts],
                    entry.eventsWritten).ifPresent(violations::add);
        }
        int withoutResult = entry.records - entry.answered();
        if (withoutResult > 0) {
            long latest = entry.latestUnanswered();
            if (latest > windowStart) {
                violations.add("command " + commandId + " for " + aggregateId + " has " + entry.results() + " results for its "
                        + entry.records + " records: " + new RecordPosition(commandsTopic, partition, latest) + " has no result");
            } else {
                commandsOutsideWindow += withoutResult;
            }
        }
    }

    /**
     * The kind of the result that counts of a command, among those held on this partition: its
     * final result, or its last failure when it has only failures; null when none is held, or the
     * command is left out.
     */
    CommandResult.Kind finalKind(CommandKey key) {
        Entry entry = entries.get(key);
        if (entry == null || entry.kinds.length == 0) {
            return null;
        }
        return entry.kinds[HistoryInvariants.finalResultIndex(Arrays.asList(entry.kinds))];
    }

    /** How many commands are kept, for tests. */
    int commands() {
        return entries.size();
    }

    /** How many ids are held, for tests: the commands with results and those found in violation. */
    int idsHeld() {
        return entries.size() + lost.size() + eventsWithoutResult.size();
    }

    /** A command: the same command id for two aggregates is two commands, as it is for the topology. */
    record CommandKey(String aggregateId, String commandId) {
    }

    /** What is kept of one command. */
    private static final class Entry {

        private static final CommandResult.Kind[] NO_KINDS = {};
        private static final int[] NO_COUNTS = {};

        /** The kinds of its results that are not re-sent duplicates, oldest first, and the events each announces. */
        CommandResult.Kind[] kinds = NO_KINDS;
        int[] announced = NO_COUNTS;
        int duplicates;
        long eventsWritten;
        int records;
        /** The offsets of its last {@code results() + 1} records, a ring: enough to tell the first with a result. */
        long[] lastOffsets;

        void add(CommandResult.Kind kind, int eventsAnnounced) {
            kinds = Arrays.copyOf(kinds, kinds.length + 1);
            kinds[kinds.length - 1] = kind;
            announced = Arrays.copyOf(announced, announced.length + 1);
            announced[announced.length - 1] = eventsAnnounced;
        }

        boolean accepted() {
            for (CommandResult.Kind kind : kinds) {
                if (kind == CommandResult.Kind.ACCEPTED) {
                    return true;
                }
            }
            return false;
        }

        int results() {
            return kinds.length + duplicates;
        }

        /** The failures no keyed record of this partition can have had: more results than records, failures among them. */
        int surplusFailures() {
            int failures = 0;
            for (CommandResult.Kind kind : kinds) {
                if (kind == CommandResult.Kind.FAILED) {
                    failures++;
                }
            }
            return Math.max(0, Math.min(failures, results() - records));
        }

        void recordAt(long offset) {
            if (lastOffsets == null) {
                lastOffsets = new long[results() + 1];
            }
            lastOffsets[records % lastOffsets.length] = offset;
            records++;
        }

        /** Of its records, the last ones have the results held: as many as there are. */
        int answered() {
            return Math.min(records, results());
        }

        /** The offset of its {@code n}-th record (from 0), among the last ones kept. */
        private long offsetOf(int n) {
            return lastOffsets[n % lastOffsets.length];
        }

        long earliestAnswered() {
            return offsetOf(records - answered());
        }

        long latestUnanswered() {
            return offsetOf(records - answered() - 1);
        }
    }
}
