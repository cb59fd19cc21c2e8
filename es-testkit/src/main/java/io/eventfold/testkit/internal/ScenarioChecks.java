package io.eventfold.testkit.internal;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.json.JsonCodec;
import io.eventfold.core.Aggregate;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.DeadlineChange;
import io.eventfold.core.Event;
import io.eventfold.core.HistoryInvariants;
import io.eventfold.core.MetadataPolicy;
import io.eventfold.testkit.Check;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** The checks made after every command, each of which can be switched off (see {@link Check}). */
public final class ScenarioChecks<C, E, S> {

    /** A difference in an event's metadata or correlation id, as {@link Diff} names it. */
    private static final Pattern PROVENANCE = Pattern.compile("events\\[\\d+]\\.(metadata|correlationId)\\b");

    private final Aggregate<C, E, S> aggregate;
    private final MetadataPolicy metadataPolicy;
    private final AggregateType<C, E, S> type;
    private final Supplier<TopologyRecords> topologyRecords;
    private final Set<Check> enabled;

    /**
     * @param metadataPolicy what the events keep of a command's metadata, and so the output records' headers
     * @param type the aggregate type, or null for a pure fixture
     * @param topologyRecords the topology runner's last output records, or null without a topology runner
     */
    public ScenarioChecks(Aggregate<C, E, S> aggregate, MetadataPolicy metadataPolicy, AggregateType<C, E, S> type,
                          Supplier<TopologyRecords> topologyRecords, Set<Check> enabled) {
        this.aggregate = aggregate;
        this.metadataPolicy = metadataPolicy;
        this.type = type;
        this.topologyRecords = topologyRecords;
        this.enabled = enabled;
    }

    public void afterCommand(Command<C> command, List<RunnerOutcome<E, S>> outcomes, Map<String, List<E>> histories,
                             boolean startedFromState, String scenario) {
        if (type != null && enabled.contains(Check.JSON_ROUND_TRIP)) {
            RunnerOutcome<E, S> pure = outcomes.get(0);
            roundTrip("command", type.commandCodec(), command.payload(), scenario);
            pure.payloads().forEach(event -> roundTrip("event", type.eventCodec(), event, scenario));
            roundTrip("state", type.stateCodec(), pure.state(), scenario);
        }
        if (outcomes.size() > 1 && enabled.contains(Check.RUNNERS_AGREE)) {
            runnersAgree(outcomes.get(0), outcomes.get(1), scenario);
        }
        if (!startedFromState && enabled.contains(Check.STATE_IS_REPLAY)) {
            for (RunnerOutcome<E, S> outcome : outcomes) {
                stateIsReplay(command.aggregateId(), outcome, histories.get(outcome.runner()), scenario);
            }
        }
        if (topologyRecords != null && enabled.contains(Check.TOPOLOGY_OUTPUTS)) {
            topologyOutputs(command, outcomes.get(0), outcomes.get(outcomes.size() - 1), scenario);
        }
    }

    /** The checks after time passed: on every command fired, its events, and the state after them. */
    @SuppressWarnings("unchecked")
    public void afterTimeStep(String aggregateId, Instant now, List<RunnerOutcome<E, S>> outcomes, Map<String, List<E>> histories,
                              boolean startedFromState, String scenario) {
        RunnerOutcome<E, S> pure = outcomes.get(0);
        if (type != null && enabled.contains(Check.JSON_ROUND_TRIP)) {
            pure.fired().forEach(fired -> roundTrip("command", type.commandCodec(), (C) fired.command().payload(), scenario));
            pure.payloads().forEach(event -> roundTrip("event", type.eventCodec(), event, scenario));
            roundTrip("state", type.stateCodec(), pure.state(), scenario);
        }
        if (outcomes.size() > 1 && enabled.contains(Check.RUNNERS_AGREE)) {
            runnersAgree(pure, outcomes.get(1), scenario);
        }
        if (!startedFromState && enabled.contains(Check.STATE_IS_REPLAY)) {
            for (RunnerOutcome<E, S> outcome : outcomes) {
                stateIsReplay(aggregateId, outcome, histories.get(outcome.runner()), scenario);
            }
        }
        if (topologyRecords != null && enabled.contains(Check.TOPOLOGY_OUTPUTS)) {
            firedOutputs(aggregateId, now, outcomes.get(outcomes.size() - 1), scenario);
        }
    }

    private <T> void roundTrip(String what, JsonCodec<T> codec, T value, String scenario) {
        JsonRoundTrip.check(what, codec, value, scenario, remedy(Check.JSON_ROUND_TRIP));
    }

    private void runnersAgree(RunnerOutcome<E, S> pure, RunnerOutcome<E, S> other, String scenario) {
        Optional<String> difference = Diff.firstDifference("fired", comparable(pure.fired()), comparable(other.fired()))
                .or(() -> Diff.firstDifference("result", pure.result(), other.result()))
                .or(() -> Diff.firstDifference("events", pure.events(), other.events()))
                .or(() -> Diff.firstDifference("deadlines", notes(pure.deadlines()), notes(other.deadlines())))
                .or(() -> Diff.firstDifference("state", pure.state(), other.state()))
                .or(() -> Diff.firstDifference("version", pure.version(), other.version()));
        if (difference.isPresent()) {
            throw Failures.failure(header("the pure and topology runners disagree", Check.RUNNERS_AGREE)
                    + scenario + "\nFirst difference (expected = pure, actual = topology): " + difference.get() + "\n"
                    + "\nEvents:\n" + Table.of(pure.events(), other.events(), "topology", Render::event)
                    + "\nProbable cause: " + probableDisagreement(difference.get()) + "\n" + remedy(Check.RUNNERS_AGREE),
                    pure, other);
        }
    }

    /**
     * A deadline change as the topology records it on the event: kind, id and due time to the
     * millisecond (the command it fires is compared when it fires).
     */
    private static List<String> notes(List<DeadlineChange> changes) {
        return changes.stream().map(change -> change instanceof DeadlineChange.Schedule schedule
                ? "schedule " + schedule.deadlineId() + " at " + Instant.ofEpochMilli(schedule.dueAt().toEpochMilli())
                : "cancel " + change.deadlineId()).toList();
    }

    /** A fired deadline as the runners can compare it. */
    private record FiredComparison(String deadlineId, Command<?> command, CommandResult<?, ?> result, List<? extends Event<?>> events,
                                   List<String> deadlines) {
    }

    private static List<FiredComparison> comparable(List<? extends Fired<?, ?>> fired) {
        return fired.stream().map(one -> new FiredComparison(one.deadlineId(), one.command(), one.result(), one.events(),
                notes(one.deadlines()))).toList();
    }

    /** Metadata and correlation ids come from the command, not from user code: losing them is the envelope's fault. */
    private static String probableDisagreement(String difference) {
        if (PROVENANCE.matcher(difference).find()) {
            return "the event envelope loses its metadata or correlation id on its way through Kafka (written to or read "
                    + "from JSON), so the audit trail on the events topic is not the one the command engine made.";
        }
        return "decide or evolve is not pure (it reads a clock, a random number or mutable state), or the state does not survive JSON.";
    }

    /** The invariant decides; on a violation the replay runs again to show the first difference. */
    private void stateIsReplay(String aggregateId, RunnerOutcome<E, S> outcome, List<E> history, String scenario) {
        if (HistoryInvariants.stateIsReplay(aggregate, aggregateId, history, outcome.state()).isEmpty()) {
            return;
        }
        S replayed;
        try {
            replayed = aggregate.replay(history);
        } catch (RuntimeException e) {
            throw Failures.failure(header("replaying the events throws " + e, Check.STATE_IS_REPLAY) + scenario + remedy(Check.STATE_IS_REPLAY));
        }
        throw Failures.failure(header("the " + outcome.runner() + " runner's state is not the replay of its "
                        + history.size() + " events", Check.STATE_IS_REPLAY)
                + scenario + "\nFirst difference (expected = replay, actual = state): "
                + Diff.firstDifference("state", replayed, outcome.state()).orElse("")
                + "\n\nProbable cause: evolve depends on something other than the state and the event.\n"
                + remedy(Check.STATE_IS_REPLAY), replayed, outcome.state());
    }

    private void topologyOutputs(Command<C> command, RunnerOutcome<E, S> pure, RunnerOutcome<E, S> outcome, String scenario) {
        TopologyRecords records = topologyRecords.get();
        StringBuilder problems = new StringBuilder();
        List<Event<E>> events = outcome.events();
        HistoryInvariants.versionsContiguous(command.aggregateId(), events, outcome.version() - events.size() + 1)
                .ifPresent(violation -> problems.append("  ").append(violation).append('\n'));
        // Every record of a command the engine handled carries its provenance: the events and snapshot always,
        // the result unless it is re-sent for a redelivery, or the topology answered it another way than the engine.
        Provenance provenance = new Provenance(command.correlation(), Render.metadata(metadataPolicy.apply(command.metadata())));
        for (int i = 0; i < records.events().size(); i++) {
            String event = "event #" + (i + 1);
            expect(problems, event, records.events().get(i), command, Long.toString(events.get(i).version()));
            expectProvenance(problems, event, records.events().get(i), provenance);
        }
        String version = Long.toString(outcome.result().version());
        if (records.results().size() != 1) {
            // One result record per command record: a rule of the topology's output, not of the history.
            problems.append("  ").append(records.results().size()).append(" results were written, expected exactly one\n");
        }
        records.results().forEach(written -> expect(problems, "result", written, command, version));
        if (!outcome.duplicate() && outcome.result().kind() == pure.result().kind()) {
            records.results().forEach(written -> expectProvenance(problems, "result", written, provenance));
        }
        int expectedSnapshots = events.isEmpty() ? 0 : 1;
        if (records.snapshots().size() != expectedSnapshots) {
            problems.append("  ").append(records.snapshots().size()).append(" snapshots were written, expected ")
                    .append(expectedSnapshots).append('\n');
        }
        records.snapshots().forEach(written -> expect(problems, "snapshot", written, command, Long.toString(outcome.version())));
        records.snapshots().forEach(written -> expectProvenance(problems, "snapshot", written, provenance));
        if (pure.duplicate() != outcome.duplicate()) {
            problems.append("  the result ").append(outcome.duplicate() ? "is" : "is not")
                    .append(" marked as a duplicate, but the command ").append(pure.duplicate() ? "was" : "was not")
                    .append(" handled before\n");
        }
        if (records.deadLetters() > 0) {
            problems.append("  ").append(records.deadLetters()).append(" record(s) went to the dead-letter topic\n");
        }
        if (problems.length() > 0) {
            throw Failures.failure(header("the topology's output records are not as Eventfold promises", Check.TOPOLOGY_OUTPUTS)
                    + scenario + "\n" + problems + remedy(Check.TOPOLOGY_OUTPUTS));
        }
    }

    /**
     * The records of time passing: each fired command keyed by the aggregate, headed with its
     * command id and deadline, stamped with the firing time, and answered once like any command.
     */
    private void firedOutputs(String aggregateId, Instant now, RunnerOutcome<E, S> outcome, String scenario) {
        TopologyRecords records = topologyRecords.get();
        StringBuilder problems = new StringBuilder();
        int eventIndex = 0;
        for (int i = 0; i < outcome.fired().size(); i++) {
            Fired<E, S> fired = outcome.fired().get(i);
            Command<?> command = fired.command();
            String what = "command #" + (i + 1) + " fired";
            TopologyRecords.Written record = records.fired().get(i);
            expect(problems, what, record, command, null);
            if (!fired.deadlineId().equals(record.deadlineHeader())) {
                problems.append("  ").append(what).append(" has deadline header '").append(record.deadlineHeader())
                        .append("', expected '").append(fired.deadlineId()).append("'\n");
            }
            if (record.timestamp() != now.toEpochMilli()) {
                problems.append("  ").append(what).append(" has timestamp ").append(Instant.ofEpochMilli(record.timestamp()))
                        .append(", expected the firing time ").append(now).append('\n');
            }
            if (!aggregateId.equals(command.aggregateId())) {
                problems.append("  ").append(what).append(" is for aggregate '").append(command.aggregateId())
                        .append("', expected '").append(aggregateId).append("'\n");
            }
            Provenance provenance = new Provenance(command.correlation(), Render.metadata(metadataPolicy.apply(command.metadata())));
            List<TopologyRecords.Written> results = records.results().stream()
                    .filter(result -> command.commandId().equals(result.commandIdHeader())).toList();
            if (results.size() != 1) {
                problems.append("  ").append(results.size()).append(" results were written for ").append(what)
                        .append(", expected exactly one\n");
            }
            results.forEach(result -> expect(problems, "result of " + what, result, command, Long.toString(fired.result().version())));
            results.forEach(result -> expectProvenance(problems, "result of " + what, result, provenance));
            for (Event<E> event : fired.events()) {
                TopologyRecords.Written written = records.events().get(eventIndex++);
                expect(problems, "event of " + what, written, command, Long.toString(event.version()));
                expectProvenance(problems, "event of " + what, written, provenance);
            }
        }
        HistoryInvariants.versionsContiguous(aggregateId, outcome.events(), outcome.version() - outcome.events().size() + 1)
                .ifPresent(violation -> problems.append("  ").append(violation).append('\n'));
        long changing = outcome.fired().stream().filter(fired -> !fired.events().isEmpty()).count();
        if (records.snapshots().size() != changing) {
            problems.append("  ").append(records.snapshots().size()).append(" snapshots were written, expected ")
                    .append(changing).append('\n');
        }
        if (records.deadLetters() > 0) {
            problems.append("  ").append(records.deadLetters()).append(" record(s) went to the dead-letter topic\n");
        }
        if (problems.length() > 0) {
            throw Failures.failure(header("the topology's output records are not as Eventfold promises", Check.TOPOLOGY_OUTPUTS)
                    + scenario + "\n" + problems + remedy(Check.TOPOLOGY_OUTPUTS));
        }
    }

    private static void expect(StringBuilder problems, String what, TopologyRecords.Written written, Command<?> command,
                               String version) {
        if (!command.aggregateId().equals(written.key())) {
            problems.append("  ").append(what).append(" is keyed '").append(written.key())
                    .append("', expected the aggregate id '").append(command.aggregateId()).append("'\n");
        }
        if (!command.commandId().equals(written.commandIdHeader())) {
            problems.append("  ").append(what).append(" has command-id header '").append(written.commandIdHeader())
                    .append("', expected '").append(command.commandId()).append("'\n");
        }
        if (version != null && !version.equals(written.versionHeader())) {
            problems.append("  ").append(what).append(" has version header '").append(written.versionHeader())
                    .append("', expected '").append(version).append("'\n");
        }
    }

    /** The correlation id and kept metadata the records of one handled command carry in their headers. */
    private record Provenance(String correlationId, Map<String, String> metadata) {
    }

    private static void expectProvenance(StringBuilder problems, String what, TopologyRecords.Written written, Provenance expected) {
        if (!expected.correlationId().equals(written.correlationIdHeader())) {
            problems.append("  ").append(what).append(" has correlation-id header '").append(written.correlationIdHeader())
                    .append("', expected '").append(expected.correlationId()).append("'\n");
        }
        if (!expected.metadata().equals(written.metadataHeaders())) {
            problems.append("  ").append(what).append(" has metadata headers ").append(written.metadataHeaders())
                    .append(", expected ").append(expected.metadata()).append('\n');
        }
    }

    private static String header(String problem, Check check) {
        return problem + " [check " + check + "]\n\n";
    }

    private static String remedy(Check check) {
        return "\n(This check runs after every command; AggregateFixture.withoutChecks(Check." + check
                + ") switches it off, for a test that breaks it on purpose.)";
    }
}
