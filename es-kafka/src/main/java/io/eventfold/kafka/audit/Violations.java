package io.eventfold.kafka.audit;

import io.eventfold.core.ErrorText;

import java.util.ArrayList;
import java.util.List;

/**
 * The violations an audit found: the first {@value #KEPT} kept, each cut to
 * {@link ErrorText#MAX_LENGTH} characters, the rest only counted, so that a broken cluster
 * cannot fill the audit's memory with sentences.
 */
final class Violations {

    /** How many violations are kept word for word. */
    static final int KEPT = 1_000;

    /** How many characters of an id a sentence shows: enough to find it, short enough to read. */
    static final int ID_LENGTH = 200;

    private final List<String> kept = new ArrayList<>();
    private long notKept;

    void add(String violation) {
        if (kept.size() < KEPT) {
            kept.add(ErrorText.bounded(violation));
        } else {
            notKept++;
        }
    }

    List<String> kept() {
        return kept;
    }

    long notKept() {
        return notKept;
    }

    /** An id as a violation's sentence shows it: its first {@value #ID_LENGTH} characters and how many more it has. */
    static String id(String id) {
        if (id == null || id.length() <= ID_LENGTH) {
            return id;
        }
        int end = Character.isHighSurrogate(id.charAt(ID_LENGTH - 1)) ? ID_LENGTH - 1 : ID_LENGTH;
        return id.substring(0, end) + "… (" + (id.length() - end) + " more characters)";
    }
}
