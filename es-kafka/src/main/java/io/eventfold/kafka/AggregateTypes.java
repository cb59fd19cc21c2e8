package io.eventfold.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Checks shared by everything that takes several aggregate types at once. */
final class AggregateTypes {

    private AggregateTypes() {
    }

    static void checkDistinct(AggregateType<?, ?, ?>[] types) {
        Objects.requireNonNull(types, "types must not be null");
        if (types.length == 0) {
            throw new IllegalArgumentException("at least one aggregate type is needed");
        }
        Map<String, String> owners = new HashMap<>();
        for (AggregateType<?, ?, ?> type : types) {
            Objects.requireNonNull(type, "types must not contain null");
            String previous = owners.putIfAbsent("name " + type.name(), type.name());
            if (previous != null) {
                throw new IllegalArgumentException("two aggregate types are named '" + type.name() + "'");
            }
            for (String topic : type.topics().all()) {
                previous = owners.putIfAbsent("topic " + topic, type.name());
                if (previous != null) {
                    throw new IllegalArgumentException("topic '" + topic + "' is used by aggregate types '"
                            + previous + "' and '" + type.name() + "'");
                }
            }
        }
    }
}
