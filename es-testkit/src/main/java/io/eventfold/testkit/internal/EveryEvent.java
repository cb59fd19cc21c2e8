package io.eventfold.testkit.internal;

import io.eventfold.core.Event;
import org.opentest4j.AssertionFailedError;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Expectations on one property of every event of a command, such as its metadata: each event is
 * named by its index and version, and a command without events misses them (an expectation that
 * holds for no event at all would pass a command that was rejected).
 */
public final class EveryEvent {

    private EveryEvent() {
    }

    /**
     * Whether every event's property equals {@code expected}.
     *
     * @param property the property as messages name it, e.g. "metadata"
     * @param read reads it from an event, rendered as {@code expected} is
     */
    public static <E> Optional<Mismatch> equal(String property, Object expected, RunnerOutcome<E, ?> outcome,
                                               Function<Event<E>, Object> read) {
        String expecting = "Expecting the " + property + " of every event to be:\n  " + Render.value(expected) + "\n";
        List<Event<E>> events = outcome.events();
        if (events.isEmpty()) {
            return Optional.of(new Mismatch(expected, List.of(), expecting + "but the command has no events (" + outcome.runner() + ")\n"));
        }
        StringBuilder rows = new StringBuilder();
        String firstDifference = null;
        Object firstActual = null;
        for (int i = 0; i < events.size(); i++) {
            Object actual = read.apply(events.get(i));
            boolean same = Objects.equals(expected, actual);
            rows.append("  ").append(same ? "  " : "✘ ").append(name(events.get(i), i)).append(": ").append(Render.value(actual)).append('\n');
            if (!same && firstDifference == null) {
                firstDifference = Diff.firstDifference(name(events.get(i), i) + " " + property, expected, actual).orElse("");
                firstActual = actual;
            }
        }
        if (firstDifference == null) {
            return Optional.empty();
        }
        return Optional.of(new Mismatch(expected, firstActual, expecting + "but (" + outcome.runner() + "):\n" + rows
                + "\nFirst difference: " + firstDifference + "\n"));
    }

    /**
     * Runs the requirements on every event's property; the first event that misses them is named
     * in the error, which keeps the expected and actual values of the requirement's own error.
     */
    public static <E, T> void satisfy(String property, RunnerOutcome<E, ?> outcome, Function<Event<E>, T> read,
                                      Consumer<T> requirements) {
        List<Event<E>> events = outcome.events();
        if (events.isEmpty()) {
            throw new AssertionError("the command has no events, so no " + property + " to check");
        }
        for (int i = 0; i < events.size(); i++) {
            T value = read.apply(events.get(i));
            try {
                requirements.accept(value);
            } catch (AssertionError e) {
                String message = name(events.get(i), i) + " " + property + " " + Render.value(value) + ":\n"
                        + String.valueOf(e.getMessage()).strip();
                AssertionError named = e instanceof AssertionFailedError original && original.isExpectedDefined()
                        ? new AssertionFailedError(message, original.getExpected().getValue(), original.getActual().getValue(), e)
                        : new AssertionFailedError(message, e);
                throw named;
            }
        }
    }

    private static String name(Event<?> event, int index) {
        return "event #" + (index + 1) + " (version " + event.version() + ")";
    }
}
