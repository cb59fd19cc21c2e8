package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.DeadlineChange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What a scenario did so far, rendered at the top of every failure message. */
public final class ScenarioLog {

    private final List<String> given = new ArrayList<>();
    private final List<String> earlier = new ArrayList<>();
    private String when = "(no command yet)";
    private String heading = "decision";
    private List<String> decision = List.of();

    public void givenEvent(Object event) {
        given.add(Render.value(event));
    }

    public void givenState(Object state, long version) {
        given.add("state at version " + version + ": " + Render.value(state));
    }

    public void givenCommand(Command<?> command, CommandResult<?, ?> result, List<DeadlineChange> deadlines) {
        given.add("command " + Render.command(command) + " → " + String.join("; ", decision(result, deadlines)));
    }

    /** Records the command now being handled; the previous step moves to the earlier steps. */
    public void when(Command<?> command, CommandResult<?, ?> result, List<DeadlineChange> deadlines) {
        step(Render.command(command), "decision", decision(result, deadlines));
    }

    /** Records time passing now, and the deadlines that fired; the previous step moves to the earlier steps. */
    public void whenTime(Instant now, List<Fired<?, ?>> fired) {
        List<String> lines = new ArrayList<>();
        for (Fired<?, ?> one : fired) {
            List<String> parts = new ArrayList<>(List.of(Render.fired(one)));
            one.deadlines().forEach(change -> parts.add(Render.deadlineChange(change)));
            lines.add(String.join("; ", parts));
        }
        step("time advances to " + now, "fired", lines.isEmpty() ? List.of("nothing: no deadline was due") : lines);
    }

    private void step(String what, String title, List<String> lines) {
        if (!decision.isEmpty()) {
            earlier.add(when + " → " + ("fired".equals(heading) ? "fired " : "") + String.join("; ", decision));
        }
        when = what;
        heading = title;
        decision = List.copyOf(lines);
    }

    private static List<String> decision(CommandResult<?, ?> result, List<DeadlineChange> deadlines) {
        List<String> lines = new ArrayList<>(List.of(Render.result(result)));
        deadlines.forEach(change -> lines.add(Render.deadlineChange(change)));
        return lines;
    }

    public String render() {
        StringBuilder text = head(given, earlier, when);
        text.append("  ").append(heading).append('\n');
        if (decision.isEmpty()) {
            text.append("    \n");
        }
        decision.forEach(line -> text.append("    ").append(line).append('\n'));
        return text.toString();
    }

    /** The part every scenario log starts with: what was given, the earlier steps, and the step now. */
    static StringBuilder head(List<String> given, List<String> earlier, String when) {
        StringBuilder text = new StringBuilder("Scenario\n  given\n");
        if (given.isEmpty()) {
            text.append("    nothing\n");
        }
        for (int i = 0; i < given.size(); i++) {
            text.append("    ").append(i + 1).append(". ").append(given.get(i)).append('\n');
        }
        if (!earlier.isEmpty()) {
            text.append("  and earlier\n");
            earlier.forEach(step -> text.append("    ").append(step).append('\n'));
        }
        return text.append("  when\n    ").append(when).append('\n');
    }
}
