package io.eventfold.testkit.internal;

import org.opentest4j.AssertionFailedError;

import java.util.Arrays;

/** Builds the assertion errors of the test kit, without the test kit's own stack frames. */
public final class Failures {

    private static final String INTERNAL = "io.eventfold.testkit.internal.";
    private static final java.util.Set<String> OWN_CLASSES = java.util.Set.of(
            "io.eventfold.testkit.AggregateFixture", "io.eventfold.testkit.Scenario", "io.eventfold.testkit.Then",
            "io.eventfold.testkit.CommandResultAssert", "io.eventfold.testkit.EventAssert",
            "io.eventfold.testkit.ProcessManagerFixture", "io.eventfold.testkit.ProcessScenario", "io.eventfold.testkit.ProcessThen");

    private Failures() {
    }

    public static AssertionFailedError failure(String message, Object expected, Object actual) {
        return strip(new AssertionFailedError(message, expected, actual));
    }

    public static AssertionFailedError failure(String message) {
        return strip(new AssertionFailedError(message));
    }

    /** Removes the test kit's frames, so the first frame a reader sees is the failing test line. */
    public static <T extends Throwable> T strip(T error) {
        error.setStackTrace(Arrays.stream(error.getStackTrace())
                .filter(frame -> !isOwn(frame.getClassName()))
                .toArray(StackTraceElement[]::new));
        return error;
    }

    private static boolean isOwn(String className) {
        int nested = className.indexOf('$');
        String outer = nested < 0 ? className : className.substring(0, nested);
        return className.startsWith(INTERNAL) || OWN_CLASSES.contains(outer);
    }
}
