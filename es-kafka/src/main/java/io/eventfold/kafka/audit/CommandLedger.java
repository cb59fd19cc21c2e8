package io.eventfold.kafka.audit;

import io.eventfold.core.CommandResult;
import io.eventfold.core.HistoryInvariants;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the results, command records and events of one partition number say about each command,
 * read in that order, and which of them the retained window lets the audit check.
 *
 * <p>Per command it keeps ids and counts, never records: the kinds of its results, how many
 * events the one that counts announces, how many it re-sent, how many records asked for it and
 * the offsets of the last few, how many events carry its id. Commands are known from their
 * results, so what is kept grows with the results topic, whose retention bounds it.
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
 *       commands window starts at the earliest record that has its result.</li>
 *   <li>Only an accepted command writes events, so an event whose command has an accepted result
 *       held is that result's; the events window starts at the first such event.</li>
 * </ul>
 * The checks of results themselves (one final result, the events of the one that counts) hold
 * for every result held: results and their events are complete from the first result held on,
 * since events are never deleted.
 */
final class CommandLedger {

    private final String commandsTopic;
    private final int partition;
    private final Map<CommandKey, Entry> entries = new HashMap<>();
    private final List<Unanswered> unanswered = new ArrayList<>();
    private final Set<CommandKey> eventsWithoutResult = new HashSet<>();
    private boolean resultsTrimmed;
    private long firstRecordWithResults = -1;
    private boolean eventsWindowStarted;
    private long commandsOutsideWindow;
    private long eventsOutsideWindow;

    CommandLedger(String commandsTopic, int partition) {
        this.commandsTopic = commandsTopic;
        this.partition = partition;
    }

    /** A result held on this results partition; a re-sent duplicate counts only as the answer to a record. */
    void result(String aggregateId, String commandId, CommandResult.Kind kind, int eventsAnnounced, boolean duplicate) {
        Entry entry = entries.computeIfAbsent(new CommandKey(aggregateId, commandId), key -> new Entry());
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

    /** A keyed command record that was not dead-lettered: it must have a result on this partition. */
    void command(long offset, String aggregateId, String commandId) {
        CommandKey key = new CommandKey(aggregateId, commandId);
        Entry entry = entries.get(key);
        if (entry != null) {
            if (firstRecordWithResults < 0) {
                firstRecordWithResults = offset;
            }
            entry.recordAt(offset);
        } else if (!resultsTrimmed || firstRecordWithResults >= 0) {
            unanswered.add(new Unanswered(offset, key)); // inside or outside: known once the window's start is
        } else {
            commandsOutsideWindow++; // before every record whose command has a result: the window starts later
        }
    }

    /** An event of this partition: counted for its command, or checked against the window. */
    void event(String aggregateId, String commandId, List<String> violations) {
        CommandKey key = new CommandKey(aggregateId, commandId);
        Entry entry = entries.get(key);
        if (entry != null && entry.kinds.length > 0) {
            eventsWindowStarted |= entry.accepted();
            entry.eventsWritten++;
        } else if (!resultsTrimmed || eventsWindowStarted) {
            if (eventsWithoutResult.add(key)) {
                violations.add("events of command " + commandId + " for " + aggregateId + " but no result");
            }
        } else {
            eventsOutsideWindow++;
        }
    }

    /**
     * Checks every command of the partition and adds the counts.
     *
     * @return the commands answered here only with failures that no keyed record of this
     *     partition asked for: the answers to keyless records (or to records already deleted)
     */
    Set<CommandKey> finish(AuditTally tally) {
        long windowStart = !resultsTrimmed ? Long.MIN_VALUE : entries.values().stream().filter(entry -> entry.records > 0)
                .mapToLong(Entry::earliestAnswered).min().orElse(Long.MAX_VALUE);
        Set<CommandKey> withoutRecords = new HashSet<>();
        entries.forEach((key, entry) -> {
            check(key, entry, windowStart, tally);
            if (entry.records == 0 && entry.duplicates == 0 && entry.onlyFailures()) {
                withoutRecords.add(key);
            }
        });
        Set<CommandKey> lost = new HashSet<>();
        for (Unanswered record : unanswered) {
            if (record.offset() > windowStart) {
                if (lost.add(record.key())) {
                    HistoryInvariants.oneResult(record.key().aggregateId(), record.key().commandId(), List.of())
                            .ifPresent(tally.violations()::add);
                }
            } else {
                commandsOutsideWindow++;
            }
        }
        tally.commands += lost.size();
        tally.commandsOutsideWindow += commandsOutsideWindow;
        tally.eventsOutsideWindow += eventsOutsideWindow;
        return withoutRecords;
    }

    private void check(CommandKey key, Entry entry, long windowStart, AuditTally tally) {
        String aggregateId = key.aggregateId();
        String commandId = key.commandId();
        tally.duplicateResults += entry.duplicates;
        if (entry.records > 0) {
            tally.commands++;
        }
        if (entry.kinds.length > 0) {
            List<CommandResult.Kind> kinds = Arrays.asList(entry.kinds);
            tally.results += kinds.size();
            kinds.forEach(kind -> tally.resultsByKind.merge(kind, 1L, Long::sum));
            HistoryInvariants.oneResult(aggregateId, commandId, kinds).ifPresent(tally.violations()::add);
            int counts = HistoryInvariants.finalResultIndex(kinds);
            HistoryInvariants.eventsMatchResult(aggregateId, commandId, kinds.get(counts), entry.announced[counts],
                    entry.eventsWritten).ifPresent(tally.violations()::add);
        }
        int withoutResult = entry.records - entry.answered();
        if (withoutResult > 0) {
            long latest = entry.latestUnanswered();
            if (latest > windowStart) {
                tally.violations().add("command " + commandId + " for " + aggregateId + " has " + entry.results() + " results for its "
                        + entry.records + " records: " + commandsTopic + "-" + partition + "@" + latest + " has no result");
            } else {
                commandsOutsideWindow += withoutResult;
            }
        }
    }

    /** How many commands are kept, for tests. */
    int commands() {
        return entries.size();
    }

    /** A command: the same command id for two aggregates is two commands, as it is for the topology. */
    record CommandKey(String aggregateId, String commandId) {
    }

    private record Unanswered(long offset, CommandKey key) {
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

        boolean onlyFailures() {
            for (CommandResult.Kind kind : kinds) {
                if (kind != CommandResult.Kind.FAILED) {
                    return false;
                }
            }
            return true;
        }

        int results() {
            return kinds.length + duplicates;
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
