package io.eventfold.kafka.audit;

import io.eventfold.core.HistoryInvariants;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command records without a key that can be answered: the topology answers them with a failure
 * keyed by the aggregate id their envelope names, so the answer lies on whichever results
 * partition that id falls on, in no order with the record. They are matched, once every
 * partition is read, with the failures no keyed record asked for: per command, the failures a
 * results partition holds beyond its keyed records' count. So a record sent without a key,
 * answered {@code Failed}, then sent again keyed with the same command id, has both its answers.
 * The order that bounds the window of keyed records says nothing here, so they are checked for a
 * result only when no results partition has lost records.
 *
 * <p>Memory: the ids of the records without a key, and of the commands with surplus failures.
 */
final class KeylessCommands {

    private final Map<CommandLedger.CommandKey, Integer> records = new HashMap<>();
    private final Map<CommandLedger.CommandKey, Integer> answers = new HashMap<>();

    void record(String aggregateId, String commandId) {
        records.merge(new CommandLedger.CommandKey(aggregateId, commandId), 1, Integer::sum);
    }

    /** Per command, the failures held on a results partition beyond what that partition's keyed records asked for. */
    void answers(Map<CommandLedger.CommandKey, Integer> surplusFailures) {
        surplusFailures.forEach((key, count) -> answers.merge(key, count, Integer::sum));
    }

    void finish(AuditTally tally, boolean resultsComplete) {
        records.forEach((key, count) -> {
            int answered = Math.min(count, answers.getOrDefault(key, 0));
            if (answered == count) {
                tally.commands++;
            } else if (resultsComplete) {
                tally.commands++;
                String aggregateId = Violations.id(key.aggregateId());
                String commandId = Violations.id(key.commandId());
                if (answered == 0) {
                    HistoryInvariants.oneResult(aggregateId, commandId, List.of()).ifPresent(tally.violations()::add);
                } else {
                    tally.violations().add("command " + commandId + " for " + aggregateId + " was sent by " + count
                            + " records without a key, but only " + answered + " failures answer them");
                }
            } else {
                tally.commands += answered > 0 ? 1 : 0;
                tally.commandsOutsideWindow += count - answered;
            }
        });
    }
}
