package io.eventfold.testkit.internal;

/** Matches the error type name of a {@code Failed} result against an exception class, subtypes included. */
public final class ErrorTypes {

    private ErrorTypes() {
    }

    public static boolean isA(String errorType, Class<? extends Throwable> expected) {
        if (errorType.equals(expected.getName())) {
            return true;
        }
        // The thrown type is usually the user's own: look for it where user classes live, not
        // where the expected type (often a JDK class) was loaded from.
        for (ClassLoader loader : new ClassLoader[] {Thread.currentThread().getContextClassLoader(),
                ErrorTypes.class.getClassLoader(), expected.getClassLoader()}) {
            try {
                return expected.isAssignableFrom(Class.forName(errorType, false, loader));
            } catch (ClassNotFoundException | LinkageError notHere) {
                // try the next loader
            }
        }
        return false;
    }
}
