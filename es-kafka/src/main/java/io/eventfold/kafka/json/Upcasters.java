package io.eventfold.kafka.json;

import io.eventfold.kafka.EnvelopeFormatException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The chain that turns command or event payloads as they were stored into what the code reads
 * today, applied to the JSON before it becomes a Java object. An aggregate type declares one chain
 * for its commands and one for its events, next to their codecs; every reader of its records (the
 * command processor, projections, the audit, the test kit, the gateway) applies it, and writing
 * always uses the current version.
 *
 * <p>Each upcaster turns one (type, version) into the next: {@link Builder#upcast(String, int, UnaryOperator)}
 * changes the JSON and raises the version by one, {@link Builder#rename(String, int, String)} gives the
 * payload another type name, {@link Builder#upcastWith(String, int, Upcaster)} may also drop or split it.
 * A type's current version is one more than the highest version an upcaster starts from (1 when none):
 * the writer puts {@code "typeVersion"} in the envelope when it is above 1. Say the invoice's line items
 * gained a tax rate and {@code PaymentReceived} became {@code InvoicePaid}:
 *
 * <pre>{@code
 * Upcasters events = Upcasters.builder()
 *     .upcast("LineItemAdded", 1, json -> {
 *         json.withObject("/lineItem").put("taxRate", BigDecimal.ZERO);
 *         return json;
 *     })
 *     .rename("PaymentReceived", 1, "InvoicePaid")
 *     .build();
 * AggregateType.builder("invoice", new InvoiceAggregate())
 *     .events(InvoiceEvent.class, events)      // LineItemAdded is now written with "typeVersion":2
 * }</pre>
 *
 * <p>Reading applies upcasters while one matches the payload's (type, version); a type the codec
 * knows at its current version is then decoded. A known type at an older version with no upcaster
 * is refused ({@link EnvelopeFormatException} naming type and version); a newer version of a known
 * type, written by a newer build, is read leniently as before (unknown properties are ignored).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Upcasters {

    private static final Upcasters NONE = new Upcasters(Map.of());

    private final Map<Key, Step> steps;
    private final Map<String, Integer> currentVersions;

    private Upcasters(Map<Key, Step> steps) {
        this.steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        Map<String, Integer> current = new LinkedHashMap<>();
        steps.keySet().forEach(key -> current.merge(key.type(), key.version() + 1, Math::max));
        this.currentVersions = Collections.unmodifiableMap(current);
    }

    /**
     * No upcasters: every type is at version 1 and read as stored.
     *
     * <pre>{@code
     * builder.events(InvoiceEvent.class, Upcasters.none())   // same as events(InvoiceEvent.class)
     * }</pre>
     *
     * @return the empty chain
     */
    public static Upcasters none() {
        return NONE;
    }

    /**
     * Starts a chain; see the class documentation for an example.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The version a type is written at today: one more than the highest version an upcaster of that
     * type name starts from, 1 when none does.
     *
     * <pre>{@code
     * events.currentVersion("LineItemAdded")   // 2
     * }</pre>
     *
     * @param type a type name
     * @return its current version, at least 1
     */
    public int currentVersion(String type) {
        return currentVersions.getOrDefault(type, 1);
    }

    /**
     * Whether an upcaster starts from some version of this type name: such a name counts as known to
     * readers even when no codec class carries it any more.
     *
     * <pre>{@code
     * events.upcastsFrom("PaymentReceived")   // true: renamed to InvoicePaid
     * }</pre>
     *
     * @param type a type name
     * @return true if an upcaster is registered for the name
     */
    public boolean upcastsFrom(String type) {
        return currentVersions.containsKey(type);
    }

    /**
     * Whether this chain has no upcaster.
     *
     * <pre>{@code
     * Upcasters.none().isEmpty()   // true
     * }</pre>
     *
     * @return true for {@link #none()} and an empty builder's chain
     */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * Runs the chain on one stored payload: applies upcasters while one matches the (type, version)
     * of a payload, and returns the payloads no upcaster matches, in order.
     *
     * <pre>{@code
     * List<StoredPayload> today = events.apply(new StoredPayload("PaymentReceived", 1, json));
     * // [InvoicePaid v1 {...}]
     * }</pre>
     *
     * @param stored the payload as stored; its JSON may be changed in place
     * @return the payloads it becomes: usually one, none when dropped, several when split
     * @throws EnvelopeFormatException if an upcaster fails, returns null, or the chain does not end
     */
    public List<StoredPayload> apply(StoredPayload stored) {
        Objects.requireNonNull(stored, "stored must not be null");
        if (!steps.containsKey(Key.of(stored))) {
            return List.of(stored);
        }
        List<StoredPayload> out = new ArrayList<>(1);
        apply(stored, 0, out);
        return out;
    }

    private void apply(StoredPayload payload, int depth, List<StoredPayload> out) {
        Step step = steps.get(Key.of(payload));
        if (step == null) {
            out.add(payload);
            return;
        }
        // A chain visits each upcaster at most once; more means a general upcaster leads back.
        if (depth >= steps.size()) {
            throw new EnvelopeFormatException("upcasters do not end: '" + payload.type() + "' v" + payload.version()
                    + " is reached again after " + depth + " steps");
        }
        List<StoredPayload> next;
        try {
            next = step.upcaster().upcast(payload);
        } catch (EnvelopeFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EnvelopeFormatException("upcaster of '" + payload.type() + "' v" + payload.version() + " failed: " + e, e);
        }
        if (next == null) {
            throw new EnvelopeFormatException("upcaster of '" + payload.type() + "' v" + payload.version()
                    + " returned null; return an empty list to drop a payload");
        }
        for (StoredPayload each : next) {
            if (each == null) {
                throw new EnvelopeFormatException("upcaster of '" + payload.type() + "' v" + payload.version()
                        + " returned a null payload");
            }
            apply(each, depth + 1, out);
        }
    }

    /**
     * Checks the chain against the codec of the payloads it ends in; {@code AggregateType.build()} calls it.
     * A rename must lead to a type the codec knows, at no more than its current version, or to one an
     * upcaster continues from; a change of a type the codec does not know must be continued by another
     * upcaster. Otherwise a stored payload would become something no reader can decode.
     *
     * <pre>{@code
     * events.requireConsistentWith(JsonCodec.forSealed(InvoiceEvent.class), "events");
     * }</pre>
     *
     * @param codec the codec of the payloads
     * @param role what the payloads are, for the message: {@code "commands"} or {@code "events"}
     * @throws IllegalArgumentException naming the upcaster and the types the codec knows
     */
    public void requireConsistentWith(JsonCodec<?> codec, String role) {
        Objects.requireNonNull(codec, "codec must not be null");
        List<String> problems = new ArrayList<>();
        steps.forEach((from, step) -> {
            Key to = step.target();
            if (to == null || steps.containsKey(to)) {
                return;
            }
            if (!codec.typeNames().contains(to.type())) {
                problems.add(step.describe(from) + " ends at '" + to.type() + "' v" + to.version()
                        + ", which the " + role + " codec does not know and no upcaster continues from");
            } else if (to.version() > currentVersion(to.type())) {
                problems.add(step.describe(from) + " ends at '" + to.type() + "' v" + to.version()
                        + ", above its current version " + currentVersion(to.type()));
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(role + " upcasters: " + String.join("; ", problems)
                    + "; known types: " + codec.typeNames());
        }
    }

    @Override
    public String toString() {
        List<String> described = new ArrayList<>();
        steps.forEach((key, step) -> described.add(step.describe(key)));
        return "Upcasters" + described;
    }

    /** A (type, version) a payload is at. */
    private record Key(String type, int version) {
        static Key of(StoredPayload payload) {
            return new Key(payload.type(), payload.version());
        }

        @Override
        public String toString() {
            return "'" + type + "' v" + version;
        }
    }

    /** One registered upcaster; {@code target} is where it leads when that is known before it runs. */
    private record Step(String kind, Upcaster upcaster, Key target) {
        String describe(Key from) {
            return kind + " of " + from + (target == null ? "" : " -> " + target);
        }
    }

    /**
     * Collects upcasters; {@link #build()} checks the chain as a whole. Arguments are checked at once.
     */
    public static final class Builder {

        private final List<Map.Entry<Key, Step>> entries = new ArrayList<>();

        private Builder() {
        }

        /**
         * Changes the JSON of one type from one version to the next, such as a new field with a default
         * or a field of another shape.
         *
         * <pre>{@code
         * .upcast("LineItemAdded", 1, json -> {
         *     json.withObject("/lineItem").put("taxRate", BigDecimal.ZERO);
         *     return json;
         * })
         * }</pre>
         *
         * @param type the type name
         * @param fromVersion the version it changes, at least 1; the result is at {@code fromVersion + 1}
         * @param change edits the JSON (in place is fine) and returns it
         * @return this builder
         */
        public Builder upcast(String type, int fromVersion, UnaryOperator<ObjectNode> change) {
            Objects.requireNonNull(change, "change must not be null");
            Key from = key(type, fromVersion);
            return add(from, new Step("upcast", stored -> {
                ObjectNode json = change.apply(stored.json());
                if (json == null) {
                    throw new EnvelopeFormatException("upcaster of " + from + " returned null JSON");
                }
                return List.of(new StoredPayload(type, fromVersion + 1, json));
            }, new Key(type, fromVersion + 1)));
        }

        /**
         * Gives a type another name; the payload continues at version 1 of the new name.
         *
         * <pre>{@code
         * .rename("PaymentReceived", 1, "InvoicePaid")
         * }</pre>
         *
         * @param oldType the stored type name
         * @param fromVersion the stored version, at least 1
         * @param newType the name the codec knows today, or one another upcaster continues from
         * @return this builder
         */
        public Builder rename(String oldType, int fromVersion, String newType) {
            return rename(oldType, fromVersion, newType, 1);
        }

        /**
         * Gives a type another name at a given version of the new name, such as when merging into a type
         * that already changed.
         *
         * <pre>{@code
         * .rename("PaymentReceived", 1, "InvoicePaid", 2)
         * }</pre>
         *
         * @param oldType the stored type name
         * @param fromVersion the stored version, at least 1
         * @param newType the new name
         * @param toVersion the version of the new name the JSON already is, at least 1
         * @return this builder
         */
        public Builder rename(String oldType, int fromVersion, String newType, int toVersion) {
            Key to = key(newType, toVersion);
            return add(key(oldType, fromVersion), new Step("rename",
                    stored -> List.of(new StoredPayload(to.type(), to.version(), stored.json())), to));
        }

        /**
         * Registers a general upcaster for one (type, version): it may drop the payload, split it, or
         * turn it into any (type, version); the chain goes on from each payload it returns.
         *
         * <p>Named apart from {@link #upcast(String, int, UnaryOperator)} so that a lambda such as
         * {@code json -> json} is never ambiguous between the two.
         *
         * <pre>{@code
         * .upcastWith("InvoiceDrafted", 1, stored -> List.of())   // drop: nothing reads it any more
         * }</pre>
         *
         * @param type the type name
         * @param fromVersion the version, at least 1
         * @param general the upcaster
         * @return this builder
         */
        public Builder upcastWith(String type, int fromVersion, Upcaster general) {
            Objects.requireNonNull(general, "upcaster must not be null");
            return add(key(type, fromVersion), new Step("upcaster", general, null));
        }

        /**
         * Builds the chain.
         *
         * @return the upcasters
         * @throws IllegalArgumentException if two upcasters start from the same (type, version), a type's
         *     versions have a hole (upcasters from 1 and 3 but not 2), or renames lead in a cycle
         */
        public Upcasters build() {
            List<String> problems = new ArrayList<>();
            Map<Key, Step> steps = new LinkedHashMap<>();
            Set<Key> reported = new LinkedHashSet<>();
            for (Map.Entry<Key, Step> entry : entries) {
                Step previous = steps.putIfAbsent(entry.getKey(), entry.getValue());
                if (previous != null && reported.add(entry.getKey())) {
                    problems.add("two upcasters start from " + entry.getKey() + ": " + previous.describe(entry.getKey())
                            + " and " + entry.getValue().describe(entry.getKey()));
                }
            }
            Map<String, TreeSet<Integer>> versions = new LinkedHashMap<>();
            steps.keySet().forEach(key -> versions.computeIfAbsent(key.type(), t -> new TreeSet<>()).add(key.version()));
            versions.forEach((type, registered) -> {
                for (int v = registered.first(); v < registered.last(); v++) {
                    if (!registered.contains(v)) {
                        problems.add("'" + type + "' has upcasters from versions " + registered + " but none from " + v
                                + ": a record at v" + v + " could not be read");
                    }
                }
            });
            Set<Key> inCycle = new LinkedHashSet<>();
            for (Key start : steps.keySet()) {
                if (inCycle.contains(start)) {
                    continue;
                }
                List<Key> path = new ArrayList<>(List.of(start));
                Key next = steps.get(start).target();
                while (next != null && steps.containsKey(next) && path.size() <= steps.size()) {
                    if (next.equals(start)) {
                        inCycle.addAll(path);
                        path.add(next);
                        problems.add("upcasters lead in a cycle: " + String.join(" -> ", path.stream().map(Key::toString).toList()));
                        break;
                    }
                    path.add(next);
                    next = steps.get(next).target();
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid upcasters: " + String.join("; ", problems));
            }
            return steps.isEmpty() ? NONE : new Upcasters(steps);
        }

        private Builder add(Key from, Step step) {
            entries.add(Map.entry(from, step));
            return this;
        }

        private static Key key(String type, int version) {
            Objects.requireNonNull(type, "type must not be null");
            if (type.isBlank()) {
                throw new IllegalArgumentException("type must not be blank");
            }
            if (version < 1) {
                throw new IllegalArgumentException("version of '" + type + "' must be at least 1 but was " + version);
            }
            return new Key(type, version);
        }
    }
}
