package io.eventfold.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every place where a JSON value (as stored, or as upcast) and the JSON written back from its decoded form differ,
 * each named by its JSON pointer ({@code /lineItem/taxRate}), so a message shows the field a
 * change broke rather than two long documents.
 */
public final class JsonDiff {

    private JsonDiff() {
    }

    /** The differences, empty when the trees are equal; compare trees parsed from text, so numbers compare alike. */
    public static List<String> differences(JsonNode stored, JsonNode written) {
        List<String> found = new ArrayList<>();
        walk("", stored, written, found);
        return found;
    }

    private static void walk(String pointer, JsonNode stored, JsonNode written, List<String> found) {
        if (stored.equals(written)) {
            return;
        }
        if (stored.isObject() && written.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            stored.fieldNames().forEachRemaining(names::add);
            written.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String inner = pointer + "/" + escape(name);
                if (!written.has(name)) {
                    found.add(inner + ": " + stored.get(name) + " is not read (no such property)");
                } else if (!stored.has(name)) {
                    found.add(inner + ": missing (read as " + written.get(name) + ")");
                } else {
                    walk(inner, stored.get(name), written.get(name), found);
                }
            }
            return;
        }
        if (stored.isArray() && written.isArray()) {
            Iterator<JsonNode> left = stored.elements();
            Iterator<JsonNode> right = written.elements();
            for (int i = 0; left.hasNext() && right.hasNext(); i++) {
                walk(pointer + "/" + i, left.next(), right.next(), found);
            }
            if (stored.size() != written.size()) {
                found.add(display(pointer) + ": " + stored.size() + " elements but " + written.size() + " written back");
            }
            return;
        }
        found.add(display(pointer) + ": " + stored + " but written back as " + written);
    }

    private static String display(String pointer) {
        return pointer.isEmpty() ? "/" : pointer;
    }

    /** RFC 6901: {@code ~} and {@code /} inside a name. */
    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
