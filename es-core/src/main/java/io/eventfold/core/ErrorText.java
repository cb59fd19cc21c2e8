package io.eventfold.core;

import java.util.Locale;

/**
 * The bound on every error text Eventfold writes into a record: the message of a
 * {@link CommandResult.Failed} result, the error header of a dead letter. A few hundred
 * characters say what went wrong; anything longer is the offending input copied into the
 * message (a parser quoting a megabyte of JSON), and a record that carries it twice over can
 * grow past what the broker accepts.
 *
 * <pre>{@code
 * ErrorText.bounded("x".repeat(5_000));  // the first 1,024 characters and "… (3,976 more characters)"
 * }</pre>
 */
public final class ErrorText {

    /** The most characters of the original text that are kept. */
    public static final int MAX_LENGTH = 1024;

    private ErrorText() {
    }

    /**
     * The text itself if it has at most {@link #MAX_LENGTH} characters, otherwise its beginning
     * followed by how many characters were left out. A surrogate pair is never cut in half.
     *
     * @param text any text, not {@code null}
     * @return at most {@code MAX_LENGTH} characters of {@code text} plus a short note
     */
    public static String bounded(String text) {
        Checks.notNull(text, "text");
        if (text.length() <= MAX_LENGTH) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
        return text.substring(0, end) + "… (" + String.format(Locale.ROOT, "%,d", text.length() - end) + " more characters)";
    }
}
