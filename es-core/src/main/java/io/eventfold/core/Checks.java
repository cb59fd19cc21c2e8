package io.eventfold.core;

import java.util.Objects;
import java.util.regex.Pattern;

/** Argument checks shared by the envelopes, so every message names the offending field the same way. */
final class Checks {

    /** Deadline ids go into command ids and headers as they are. */
    private static final Pattern DEADLINE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private Checks() {
    }

    static String deadlineId(String value, int maxLength) {
        notNull(value, "deadlineId");
        if (value.length() > maxLength || !DEADLINE_ID.matcher(value).matches()) {
            throw new IllegalArgumentException("deadlineId must be 1 to " + maxLength
                    + " characters of [A-Za-z0-9._-] starting with a letter or digit, but was '" + ErrorText.bounded(value) + "'");
        }
        return value;
    }

    static <T> T notNull(T value, String field) {
        return Objects.requireNonNull(value, () -> field + " must not be null");
    }

    static String notBlank(String value, String field) {
        notNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        wellFormed(value, field);
        return value;
    }

    /**
     * Ids become UTF-8 record keys and JSON; an unpaired surrogate would turn into '?' there and
     * make two different ids equal.
     */
    private static void wellFormed(String value, String field) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(field + " must be well-formed text but has an unpaired surrogate at index " + i);
            }
        }
    }

    static long atLeast(long value, long minimum, String field) {
        if (value < minimum) {
            throw new IllegalArgumentException(field + " must be >= " + minimum + " but was " + value);
        }
        return value;
    }
}
