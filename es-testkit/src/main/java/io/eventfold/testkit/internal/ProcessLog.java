package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.Event;

import java.util.ArrayList;
import java.util.List;

/** What a process manager scenario did so far, rendered at the top of every failure message. */
public final class ProcessLog {

    private final List<String> given = new ArrayList<>();
    private final List<String> earlier = new ArrayList<>();
    private String when = "(no input yet)";
    private List<String> reaction = List.of();

    public void given(Event<?> event, ProcessOutcome<?, ?> outcome) {
        given.add(event(event) + " → " + String.join("; ", reaction(outcome)));
    }

    public void whenEvent(Event<?> event, ProcessOutcome<?, ?> outcome) {
        step(event(event), reaction(outcome));
    }

    public void whenResult(Command<?> answered, Object reply, ProcessOutcome<?, ?> outcome) {
        step("the result of " + sent(answered) + ": " + reply, reaction(outcome));
    }

    private void step(String input, List<String> lines) {
        if (!reaction.isEmpty()) {
            earlier.add(when + " → " + String.join("; ", reaction));
        }
        when = input;
        reaction = lines;
    }

    /** An event as the scenario shows it: payload, aggregate and version, and its chain when it continues another. */
    public static String event(Event<?> event) {
        return Render.value(event.payload()) + " (event " + event.aggregateId() + "@" + event.version()
                + (event.correlationId().equals(event.commandId()) ? "" : ", correlation id " + event.correlationId())
                + (event.metadata().isEmpty() ? "" : ", metadata " + Render.metadata(event.metadata())) + ")";
    }

    /** A command the manager sent: {@code Charge[...] to C-1 (command id ...)}. */
    public static String sent(Command<?> command) {
        return Render.value(command.payload()) + " to " + command.aggregateId() + " (command id " + command.commandId() + ")";
    }

    private static List<String> reaction(ProcessOutcome<?, ?> outcome) {
        if (outcome.replayed()) {
            return List.of("passed over: handled before (the manager is at version " + outcome.state().lastVersion() + ")");
        }
        if (outcome.failed()) {
            return List.of("the manager failed: " + outcome.errorType() + (outcome.message() == null || outcome.message().isEmpty()
                    ? "" : ": " + outcome.message()));
        }
        if (outcome.sent().isEmpty()) {
            return List.of("sends nothing");
        }
        return outcome.sent().stream().map(command -> "sends " + sent(command)).toList();
    }

    public String render() {
        StringBuilder text = ScenarioLog.head(given, earlier, when);
        text.append("  reaction\n");
        reaction.forEach(line -> text.append("    ").append(line).append('\n'));
        return text.toString();
    }
}
