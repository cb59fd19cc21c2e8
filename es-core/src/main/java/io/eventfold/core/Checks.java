package io.eventfold.core;

import java.util.Objects;

/** Argument checks shared by the envelopes, so every message names the offending field the same way. */
final class Checks {

    private Checks() {
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
