package io.eventfold.kafka.audit;

import io.eventfold.core.HistoryInvariants;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Command records without a key that can be answered: the topology answers them with a failure
 * keyed by the aggregate id their envelope names, so the answer lies on whichever results
 * partition that id falls on, in no order with the record. They are matched with the results
 * no keyed record asked for, from every partition, once all are read; the order that bounds the
 * window of keyed records says nothing here, so they are checked for a result only when no
 * results partition has lost records.
 */
final class KeylessCommands {

    private final Map<CommandLedger.CommandKey, Integer> records = new HashMap<>();
    private final Set<CommandLedger.CommandKey> answers = new HashSet<>();

    void record(String aggregateId, String commandId) {
        records.merge(new CommandLedger.CommandKey(aggregateId, commandId), 1, Integer::sum);
    }

    /** Failures held on a results partition that no keyed record of that partition asked for. */
    void answers(Set<CommandLedger.CommandKey> failuresWithoutRecords) {
        answers.addAll(failuresWithoutRecords);
    }

    void finish(AuditTally tally, boolean resultsComplete) {
        records.forEach((key, count) -> {
            if (answers.contains(key)) {
                tally.commands++;
            } else if (resultsComplete) {
                tally.commands++;
                HistoryInvariants.oneResult(key.aggregateId(), key.commandId(), java.util.List.of()).ifPresent(tally.violations()::add);
            } else {
                tally.commandsOutsideWindow += count;
            }
        });
    }
}
