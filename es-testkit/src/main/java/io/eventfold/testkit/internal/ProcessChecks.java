package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.Event;
import io.eventfold.kafka.ProcessManagerType;
import io.eventfold.kafka.json.JsonCodec;
import io.eventfold.testkit.Check;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The checks made after every input of a process manager scenario, each of which can be switched off (see {@link Check}). */
public final class ProcessChecks<E, S, C> {

    private final ProcessManagerType<E, S, C> type;
    private final Supplier<ProcessRecords> topologyRecords;
    private final Set<Check> enabled;

    /**
     * @param type the process manager type, or null for a pure fixture
     * @param topologyRecords the topology runner's records of the last input, or null without a topology runner
     */
    public ProcessChecks(ProcessManagerType<E, S, C> type, Supplier<ProcessRecords> topologyRecords, Set<Check> enabled) {
        this.type = type;
        this.topologyRecords = topologyRecords;
        this.enabled = enabled;
    }

    /** The checks after an input: {@code event} is null for a result. */
    @SuppressWarnings("unchecked")
    public void afterInput(Event<E> event, List<ProcessOutcome<S, C>> outcomes, String scenario) {
        ProcessOutcome<S, C> pure = outcomes.get(0);
        if (type != null && enabled.contains(Check.JSON_ROUND_TRIP)) {
            if (event != null) {
                roundTrip("event", (JsonCodec<E>) type.source().eventCodec(), event.payload(), scenario);
            }
            pure.sent().forEach(command -> roundTrip("command", type.target().commandCodec(), command.payload(), scenario));
            roundTrip("state", type.stateCodec(), pure.state().state(), scenario);
        }
        if (outcomes.size() > 1 && enabled.contains(Check.RUNNERS_AGREE)) {
            runnersAgree(pure, outcomes.get(1), scenario);
        }
        if (topologyRecords != null && enabled.contains(Check.TOPOLOGY_OUTPUTS)) {
            topologyOutputs(outcomes.get(outcomes.size() - 1), scenario);
        }
    }

    private <T> void roundTrip(String what, JsonCodec<T> codec, T value, String scenario) {
        JsonRoundTrip.check(what, codec, value, scenario, remedy(Check.JSON_ROUND_TRIP));
    }

    private void runnersAgree(ProcessOutcome<S, C> pure, ProcessOutcome<S, C> other, String scenario) {
        // The topology names a failure in a dead letter with more words than the engine: the type is what must agree.
        Optional<String> difference = Diff.firstDifference("sent", pure.sent(), other.sent())
                .or(() -> Diff.firstDifference("state", pure.state(), other.state()))
                .or(() -> Diff.firstDifference("replayed", pure.replayed(), other.replayed()))
                .or(() -> Diff.firstDifference("errorType", pure.errorType(), other.errorType()))
                .or(() -> Diff.firstDifference("result", pure.result(), other.result()));
        if (difference.isPresent()) {
            throw Failures.failure(header("the pure and topology runners disagree", Check.RUNNERS_AGREE)
                    + scenario + "\nFirst difference (expected = pure, actual = topology): " + difference.get() + "\n"
                    + "\nProbable cause: the manager is not pure (it reads a clock, a random number or mutable state), "
                    + "or its state, an event or a command does not survive JSON.\n" + remedy(Check.RUNNERS_AGREE),
                    pure, other);
        }
    }

    private void topologyOutputs(ProcessOutcome<S, C> outcome, String scenario) {
        ProcessRecords records = topologyRecords.get();
        StringBuilder problems = new StringBuilder();
        if (records.commands().size() != outcome.sent().size()) {
            problems.append("  ").append(records.commands().size()).append(" command records were written for ")
                    .append(outcome.sent().size()).append(" commands\n");
        }
        for (int i = 0; i < Math.min(records.commands().size(), outcome.sent().size()); i++) {
            ProcessRecords.Sent written = records.commands().get(i);
            Command<C> command = outcome.sent().get(i);
            String what = "command #" + (i + 1);
            expect(problems, what, "key", written.key(), command.aggregateId());
            expect(problems, what, "command-id header", written.commandIdHeader(), command.commandId());
            expect(problems, what, "process-manager header", written.processManagerHeader(), type.name());
            expect(problems, what, "reply-topic header", written.replyTopicHeader(), type.topics().replies());
        }
        int expectedLetters = outcome.failed() ? 1 : 0;
        if (records.deadLetters() != expectedLetters) {
            problems.append("  ").append(records.deadLetters()).append(" record(s) went to the manager's dead-letter topic, expected ")
                    .append(expectedLetters).append('\n');
        }
        if (problems.length() > 0) {
            throw Failures.failure(header("the topology's output records are not as Eventfold promises", Check.TOPOLOGY_OUTPUTS)
                    + scenario + "\n" + problems + remedy(Check.TOPOLOGY_OUTPUTS));
        }
    }

    private static void expect(StringBuilder problems, String what, String part, String actual, String expected) {
        if (!Objects.equals(expected, actual)) {
            problems.append("  ").append(what).append(" has ").append(part).append(" '").append(actual)
                    .append("', expected '").append(expected).append("'\n");
        }
    }

    private static String header(String problem, Check check) {
        return problem + " [check " + check + "]\n\n";
    }

    private static String remedy(Check check) {
        return "\n(This check runs after every input; ProcessManagerFixture.withoutChecks(Check." + check
                + ") switches it off, for a test that breaks it on purpose.)";
    }
}
