package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;

import java.util.ArrayList;
import java.util.List;

/** What a scenario did so far, rendered at the top of every failure message. */
public final class ScenarioLog {

    private final List<String> given = new ArrayList<>();
    private final List<String> earlier = new ArrayList<>();
    private String when = "(no command yet)";
    private String decision = "";

    public void givenEvent(Object event) {
        given.add(Render.value(event));
    }

    public void givenState(Object state, long version) {
        given.add("state at version " + version + ": " + Render.value(state));
    }

    public void givenCommand(Command<?> command, CommandResult<?, ?> result) {
        given.add("command " + Render.command(command) + " → " + Render.result(result));
    }

    /** Records the command now being handled; the previous one moves to the earlier steps. */
    public void when(Command<?> command, CommandResult<?, ?> result) {
        if (!decision.isEmpty()) {
            earlier.add(when + " → " + decision);
        }
        when = Render.command(command);
        decision = Render.result(result);
    }

    public String render() {
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
        text.append("  when\n    ").append(when).append('\n');
        text.append("  decision\n    ").append(decision).append('\n');
        return text.toString();
    }
}
