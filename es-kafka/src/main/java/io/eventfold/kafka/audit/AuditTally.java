package io.eventfold.kafka.audit;

import io.eventfold.core.CommandResult;

import java.util.EnumMap;
import java.util.Map;

/** The counts and violations of an audit as it goes, partition after partition. */
final class AuditTally {

    long commands;
    long results;
    final Map<CommandResult.Kind, Long> resultsByKind = new EnumMap<>(CommandResult.Kind.class);
    long duplicateResults;
    long events;
    long aggregates;
    long commandsOutsideWindow;
    long eventsOutsideWindow;
    long commandsPending;
    long deadlinesScheduled;
    long deadlinesCancelled;
    long deadlinesFired;
    long deadlinesWaiting;
    long deadlinesOutsideWindow;
    private final Violations violations = new Violations();

    Violations violations() {
        return violations;
    }
}
