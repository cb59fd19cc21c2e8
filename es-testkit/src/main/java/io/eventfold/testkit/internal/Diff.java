package io.eventfold.testkit.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the first place where two values differ, walking into records, lists and maps, so a
 * message can say {@code lineItems[1].quantity: expected 3 but was 2} instead of printing two
 * long records side by side.
 */
public final class Diff {

    private Diff() {
    }

    /** The first difference, with its path below {@code root}; empty when the values are equal. */
    public static Optional<String> firstDifference(String root, Object expected, Object actual) {
        return find(root, expected, actual);
    }

    private static Optional<String> find(String path, Object expected, Object actual) {
        if (Objects.equals(expected, actual)) {
            return Optional.empty();
        }
        if (expected != null && actual != null && expected.getClass() == actual.getClass() && expected.getClass().isRecord()) {
            for (RecordComponent component : expected.getClass().getRecordComponents()) {
                Optional<String> inner = find(join(path, component.getName()), read(component, expected), read(component, actual));
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        if (expected instanceof Optional<?> left && actual instanceof Optional<?> right && left.isPresent() && right.isPresent()) {
            // A result's state: the difference is inside it.
            return find(path, left.get(), right.get());
        }
        if (expected instanceof List<?> left && actual instanceof List<?> right) {
            for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
                Optional<String> inner = find(path + "[" + i + "]", left.get(i), right.get(i));
                if (inner.isPresent()) {
                    return inner;
                }
            }
            int i = Math.min(left.size(), right.size());
            return Optional.of(path + "[" + i + "]: expected " + (i < left.size() ? Render.value(left.get(i)) : "<nothing>")
                    + " but was " + (i < right.size() ? Render.value(right.get(i)) : "<nothing>"));
        }
        if (expected instanceof Map<?, ?> left && actual instanceof Map<?, ?> right) {
            Set<Object> keys = new LinkedHashSet<>(left.keySet());
            keys.addAll(right.keySet());
            for (Object key : keys) {
                Optional<String> inner = find(path + "[" + key + "]", left.get(key), right.get(key));
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        String where = path.isEmpty() ? "" : path + ": ";
        String left = Render.value(expected);
        String right = Render.value(actual);
        if (left.equals(right) && expected != null && actual != null) {
            // Equal text but unequal values: the types are what differ (a Long read back as an Integer…).
            left += " (" + expected.getClass().getName() + ")";
            right += " (" + actual.getClass().getName() + ")";
        }
        return Optional.of(where + "expected " + left + " but was " + right);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static Object read(RecordComponent component, Object record) {
        Method accessor = component.getAccessor();
        try {
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            return "<cannot read " + component.getName() + ": " + e + ">";
        }
    }
}
