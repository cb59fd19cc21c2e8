package io.eventfold.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The parts given to build one topology, checked once: at least one aggregate type, distinct names
 * and topics, and every process manager's source and target types among the parts.
 */
record TopologyParts(List<AggregateType<?, ?, ?>> types, List<ProcessManagerType<?, ?, ?>> managers) {

    static TopologyParts of(TopologyPart[] parts) {
        Objects.requireNonNull(parts, "parts must not be null");
        List<AggregateType<?, ?, ?>> types = new ArrayList<>();
        List<ProcessManagerType<?, ?, ?>> managers = new ArrayList<>();
        Map<String, TopologyPart> owners = new HashMap<>();
        for (TopologyPart part : parts) {
            Objects.requireNonNull(part, "parts must not contain null");
            TopologyPart named = owners.putIfAbsent("name " + part.name(), part);
            if (named != null) {
                throw new IllegalArgumentException(named.getClass() == part.getClass()
                        ? "two " + kind(part) + "s are named '" + part.name() + "'"
                        : "an aggregate type and a process manager are both named '" + part.name() + "'");
            }
            if (part instanceof AggregateType<?, ?, ?> type) {
                types.add(type);
                for (String topic : type.topics().all()) {
                    claimTopic(owners, topic, part);
                }
            } else {
                ProcessManagerType<?, ?, ?> manager = (ProcessManagerType<?, ?, ?>) part;
                managers.add(manager);
                for (String topic : manager.topics().all()) {
                    claimTopic(owners, topic, part);
                }
            }
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("at least one aggregate type is needed");
        }
        for (ProcessManagerType<?, ?, ?> manager : managers) {
            requirePart(types, manager.source(), manager, "source");
            requirePart(types, manager.target(), manager, "target");
        }
        return new TopologyParts(List.copyOf(types), List.copyOf(managers));
    }

    /** Where the results of a type's commands may be copied: its replies topic and those of the managers sending to it. */
    Set<String> replyTopicsOf(AggregateType<?, ?, ?> type) {
        Set<String> topics = new LinkedHashSet<>();
        topics.add(type.topics().replies());
        for (ProcessManagerType<?, ?, ?> manager : managers) {
            if (manager.target() == type) {
                topics.add(manager.topics().replies());
            }
        }
        return topics;
    }

    private static void requirePart(List<AggregateType<?, ?, ?>> types, AggregateType<?, ?, ?> type,
                                     ProcessManagerType<?, ?, ?> manager, String role) {
        if (types.stream().noneMatch(part -> part == type)) {
            throw new IllegalArgumentException("the " + role + " type '" + type.name() + "' of process manager '"
                    + manager.name() + "' is not a part of this topology: add that AggregateType instance too");
        }
    }

    private static void claimTopic(Map<String, TopologyPart> owners, String topic, TopologyPart part) {
        TopologyPart previous = owners.putIfAbsent("topic " + topic, part);
        if (previous != null) {
            throw new IllegalArgumentException("topic '" + topic + "' is used by " + (previous.getClass() == part.getClass()
                    ? kind(part) + "s '" + previous.name() + "' and '" + part.name() + "'"
                    : kind(previous) + " '" + previous.name() + "' and " + kind(part) + " '" + part.name() + "'"));
        }
    }

    private static String kind(TopologyPart part) {
        return part instanceof AggregateType<?, ?, ?> ? "aggregate type" : "process manager";
    }
}
