package io.eventfold.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfold.core.Aggregate;
import io.eventfold.core.Snapshot;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.json.StoredPayload;
import io.eventfold.testkit.internal.Failures;
import io.eventfold.testkit.internal.JsonDiff;
import io.eventfold.testkit.internal.PayloadCheck;
import io.eventfold.testkit.internal.StoredFiles;
import io.eventfold.testkit.internal.StoredFiles.Stored;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that records written by earlier versions of an aggregate type are still read by this
 * one. Keep the records as files in your test resources (a corpus), one envelope per line, as
 * they are on the topics; events and commands are kept forever, so every later release must read them.
 *
 * <pre>{@code
 * CompatibilityCorpus.of(Invoices.TYPE)
 *         .events("corpus/v1")      // INV-1.events.jsonl, INV-1.state.json, …
 *         .commands("corpus/v1")    // INV-1.commands.jsonl, …
 *         .verify();
 * }</pre>
 *
 * <p>For each {@code <id>.events.jsonl}, every record must: upcast through the type's upcasters;
 * read strictly (no unknown field, no missing constructor parameter, no null for a primitive);
 * write back to the JSON it was upcast to; carry the versions {@code 1, 2, 3…} of one aggregate;
 * and fold without an exception. {@code <id>.state.json} and {@code <id>.snapshot.json}, when
 * present, are snapshot envelopes: one whose state version is the type's current one must equal
 * the fold; one of another state version is not compared, as a snapshot of an older state version
 * is rebuilt from the events after an upgrade, never read. Keep the snapshot the recording release
 * wrote in {@code .snapshot.json} and the fold at today's state version in {@code .state.json};
 * {@link Summary#statesCompared()} says how many were compared. Each {@code <id>.commands.jsonl}
 * record must upcast, read strictly and write back unchanged.
 *
 * <p>{@link #verify()} reports every problem of every file in one {@link AssertionError}, each
 * line naming the file, the line, the type and its version chain, and the field's JSON pointer:
 * {@code corpus/v1/INV-1.events.jsonl, line 2 (LineItemAdded v1 → v2): /lineItem/taxRate: missing
 * (read as null)}.
 *
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public final class CompatibilityCorpus<C, E, S> {

    private static final String EVENTS = ".events.jsonl";
    private static final String COMMANDS = ".commands.jsonl";
    private static final String STATE = ".state.json";
    private static final String SNAPSHOT = ".snapshot.json";

    private final AggregateType<C, E, S> type;
    private final List<String> eventLocations;
    private final List<String> commandLocations;
    private final Set<String> tolerated;

    private CompatibilityCorpus(AggregateType<C, E, S> type, List<String> eventLocations, List<String> commandLocations,
                                Set<String> tolerated) {
        this.type = type;
        this.eventLocations = List.copyOf(eventLocations);
        this.commandLocations = List.copyOf(commandLocations);
        this.tolerated = Set.copyOf(tolerated);
    }

    /**
     * A corpus check for an aggregate type, with no files yet.
     *
     * @param type the aggregate type as the application builds it, with its upcasters
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return the check, ready for {@link #events} and {@link #commands}
     */
    public static <C, E, S> CompatibilityCorpus<C, E, S> of(AggregateType<C, E, S> type) {
        return new CompatibilityCorpus<>(Objects.requireNonNull(type, "type must not be null"), List.of(), List.of(), Set.of());
    }

    /**
     * Adds the event histories of a directory: its {@code *.events.jsonl} files, with their
     * {@code .state.json} and {@code .snapshot.json} files.
     *
     * @param location a class-path directory such as {@code "corpus/v1"}, or a file-system path
     * @return a copy of this check that also checks these files
     */
    public CompatibilityCorpus<C, E, S> events(String location) {
        Objects.requireNonNull(location, "location must not be null");
        List<String> locations = new ArrayList<>(eventLocations);
        locations.add(location);
        return new CompatibilityCorpus<>(type, locations, commandLocations, tolerated);
    }

    /**
     * Adds the commands of a directory: its {@code *.commands.jsonl} files.
     *
     * @param location a class-path directory such as {@code "corpus/v1"}, or a file-system path
     * @return a copy of this check that also checks these files
     */
    public CompatibilityCorpus<C, E, S> commands(String location) {
        Objects.requireNonNull(location, "location must not be null");
        List<String> locations = new ArrayList<>(commandLocations);
        locations.add(location);
        return new CompatibilityCorpus<>(type, eventLocations, locations, tolerated);
    }

    /**
     * Accepts that stored payloads of a type lack a field, or carry one it no longer has: a field
     * added with {@code null} (or zero, or false) as the right value for old records, or a removed
     * one, needs no upcaster (docs/evolution.md). Every other difference is still reported.
     *
     * <pre>{@code
     * CompatibilityCorpus.of(Invoices.TYPE).events("corpus/v1")
     *         .tolerating("LineItemAdded", "/lineItem/note")   // added in v3, null for older lines
     *         .verify();
     * }</pre>
     *
     * @param typeName the payload's type name after upcasting
     * @param pointer the field's JSON pointer in the payload; fields below it are tolerated too
     * @return a copy of this check that tolerates the field
     */
    public CompatibilityCorpus<C, E, S> tolerating(String typeName, String pointer) {
        Objects.requireNonNull(typeName, "typeName must not be null");
        if (pointer == null || !pointer.startsWith("/")) {
            throw new IllegalArgumentException("pointer must be a JSON pointer such as /lineItem/note but was " + pointer);
        }
        Set<String> more = new LinkedHashSet<>(tolerated);
        more.add(typeName + pointer);
        return new CompatibilityCorpus<>(type, eventLocations, commandLocations, more);
    }

    /** The problems of a payload of this type less those at a tolerated field. */
    private List<String> notTolerated(String typeName, List<String> problems) {
        return problems.stream().filter(problem -> {
            int colon = problem.indexOf(": ");
            String pointer = colon < 0 ? problem : problem.substring(0, colon);
            return tolerated.stream().noneMatch(field -> (typeName + pointer).equals(field)
                    || (typeName + pointer).startsWith(field + "/"));
        }).toList();
    }

    /**
     * Checks every file and reports every problem at once.
     *
     * @return what was checked, for assertions on the corpus's coverage
     * @throws AssertionError listing each problem with its file, line, type and field
     * @throws IllegalArgumentException if a location does not exist or holds no files of its kind
     */
    public Summary verify() {
        Run run = new Run();
        for (String location : eventLocations) {
            List<Path> files = files(location, EVENTS);
            files.forEach(file -> run.history(location, file));
        }
        for (String location : commandLocations) {
            List<Path> files = files(location, COMMANDS);
            files.forEach(file -> run.commands(location, file));
        }
        if (!run.problems.isEmpty()) {
            throw Failures.failure("the compatibility corpus of '" + type.name() + "' has " + run.problems.size()
                    + (run.problems.size() == 1 ? " problem" : " problems") + ":\n  " + String.join("\n  ", run.problems));
        }
        return new Summary(run.histories, run.events, run.commands, run.statesCompared, Set.copyOf(run.eventTypes),
                Set.copyOf(run.commandTypes));
    }

    private static List<Path> files(String location, String suffix) {
        List<Path> files = StoredFiles.list(StoredFiles.resolve(location), suffix);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("'" + location + "' holds no *" + suffix + " file");
        }
        return files;
    }

    /**
     * What {@link #verify()} checked.
     *
     * @param histories the event files
     * @param events the event records
     * @param commands the command records
     * @param statesCompared the state and snapshot files of the current state version compared with a fold
     * @param eventTypes the stored event type names (before upcasting)
     * @param commandTypes the stored command type names (before upcasting)
     */
    public record Summary(int histories, int events, int commands, int statesCompared, Set<String> eventTypes, Set<String> commandTypes) {
    }

    /** One verification: the problems and counts it collects. */
    private final class Run {
        private final ObjectMapper mapper = type.eventCodec().mapper();
        private final PayloadCheck<E> eventCheck = new PayloadCheck<>(type.eventCodec());
        private final PayloadCheck<C> commandCheck = new PayloadCheck<>(type.commandCodec());
        private final List<String> problems = new ArrayList<>();
        private final Set<String> eventTypes = new LinkedHashSet<>();
        private final Set<String> commandTypes = new LinkedHashSet<>();
        private int histories;
        private int events;
        private int commands;
        private int statesCompared;

        void history(String location, Path file) {
            histories++;
            String label = label(location, file);
            List<Stored> records = read(file, label);
            Aggregate<C, E, S> aggregate = type.aggregate();
            S state = aggregate.initialState();
            String aggregateId = null;
            long version = 0;
            boolean folding = true;
            for (Stored record : records) {
                events++;
                JsonNode envelope = record.json();
                String id = text(envelope, "aggregateId");
                String storedType = text(envelope, "type");
                int typeVersion = typeVersion(envelope);
                String where = record.where() + " (" + (storedType == null ? "no type" : storedType) + " v" + typeVersion;
                if (storedType != null) {
                    eventTypes.add(storedType);
                }
                JsonNode versionNode = envelope.get("version");
                long recordVersion = versionNode != null && versionNode.isIntegralNumber() ? versionNode.asLong() : -1;
                if (aggregateId == null) {
                    aggregateId = id;
                }
                List<String> envelopeProblems = new ArrayList<>();
                if (id == null) {
                    envelopeProblems.add("/aggregateId: missing");
                } else if (!id.equals(aggregateId)) {
                    envelopeProblems.add("/aggregateId: " + id + " but the file's first record is of " + aggregateId);
                }
                if (recordVersion != version + 1) {
                    envelopeProblems.add("/version: " + (versionNode == null ? "missing" : versionNode)
                            + " but the history needs " + (version + 1) + " (versions are 1, 2, 3… without gaps)");
                }
                version = Math.max(version + 1, recordVersion);
                if (storedType == null || !(envelope.get("payload") instanceof ObjectNode payload)) {
                    report(where + ")", List.of("/type and /payload: an event envelope needs both"));
                    folding = false;
                    continue;
                }
                List<StoredPayload> upcast;
                try {
                    upcast = upcastEvent(storedType, typeVersion, payload.deepCopy());
                } catch (RuntimeException e) {
                    report(where + ")", List.of("the upcasters threw " + e));
                    folding = false;
                    continue;
                }
                where += chain(storedType, typeVersion, upcast) + ")";
                report(where, envelopeProblems);
                int problemsBefore = problems.size();
                List<E> readByTheApplication = new ArrayList<>();
                String unreadable = readAsTheApplication(envelope, readByTheApplication);
                for (int part = 0; part < upcast.size(); part++) {
                    StoredPayload next = upcast.get(part);
                    PayloadCheck.Checked<E> checked = eventCheck.check(next.type(), next.json());
                    report(where, notTolerated(next.type(), checked.problems()));
                    if (checked.value() != null && unreadable == null && readByTheApplication.size() == upcast.size()
                            && !checked.value().equals(readByTheApplication.get(part))) {
                        report(where, List.of("the event serde reads " + readByTheApplication.get(part) + " but the upcast JSON is "
                                + checked.value()));
                    }
                    if (checked.value() == null) {
                        folding = false;
                    } else if (folding) {
                        try {
                            state = Objects.requireNonNull(aggregate.evolve(state, checked.value()), "evolve returned null");
                        } catch (RuntimeException e) {
                            report(where, List.of("the fold threw " + e));
                            folding = false;
                        }
                    }
                }
                if (unreadable != null && problems.size() == problemsBefore) {
                    report(where, List.of("the event serde cannot read it: " + unreadable));   // only when nothing above says why
                }
            }
            if (folding && aggregateId != null) {
                String id = StoredFiles.id(file, EVENTS);
                for (String suffix : List.of(STATE, SNAPSHOT)) {
                    Path stateFile = file.resolveSibling(id + suffix);
                    compareState(stateFile, label(location, stateFile), new Snapshot<>(aggregateId, version, state));
                }
            }
        }

        /**
         * Compares a stored snapshot envelope with the fold while it is of the current state version;
         * a snapshot of another state version is rebuilt from the events after an upgrade, never read.
         */
        private void compareState(Path file, String label, Snapshot<S> fold) {
            if (!Files.exists(file)) {
                return;
            }
            List<Stored> stored = read(file, label);
            if (stored.size() != 1) {
                report(label, List.of("holds " + stored.size() + " records; a state file holds one snapshot envelope"));
                return;
            }
            JsonNode expected = stored.get(0).json();
            JsonNode versionNode = expected.get("stateVersion");
            int storedStateVersion = versionNode == null || versionNode.isNull() ? 1 : versionNode.asInt();
            if (storedStateVersion != type.stateVersion()) {
                return;
            }
            statesCompared++;
            byte[] written = type.serdes().snapshots().serializer().serialize("", fold);
            List<String> differences = JsonDiff.differences(eventCheck.normalize(expected),
                    eventCheck.normalize(tree(new String(written, StandardCharsets.UTF_8))));
            report(label + " (the fold of the events, written as a snapshot)", differences);
        }

        void commands(String location, Path file) {
            String label = label(location, file);
            for (Stored record : read(file, label)) {
                commands++;
                JsonNode envelope = record.json();
                String storedType = text(envelope, "type");
                int typeVersion = typeVersion(envelope);
                String where = record.where() + " (" + (storedType == null ? "no type" : storedType) + " v" + typeVersion;
                if (storedType != null) {
                    commandTypes.add(storedType);
                }
                if (storedType == null || !(envelope.get("payload") instanceof ObjectNode payload)) {
                    report(where + ")", List.of("/type and /payload: a command envelope needs both"));
                    continue;
                }
                List<StoredPayload> upcast;
                try {
                    upcast = upcastCommand(storedType, typeVersion, payload.deepCopy());
                } catch (RuntimeException e) {
                    report(where + ")", List.of("the upcasters threw " + e));
                    continue;
                }
                where += chain(storedType, typeVersion, upcast) + ")";
                if (upcast.size() != 1) {
                    report(where, List.of("upcast to " + upcast.size() + " commands; a command must upcast to exactly one"));
                    continue;
                }
                report(where, notTolerated(upcast.get(0).type(), commandCheck.check(upcast.get(0).type(), upcast.get(0).json()).problems()));
            }
        }

        /** Reads the record as the application's event serde does, into {@code into}; the error's message when it cannot. */
        private String readAsTheApplication(JsonNode envelope, List<E> into) {
            try {
                type.serdes().storedEvents().deserialize(type.topics().events(), envelope.toString().getBytes(StandardCharsets.UTF_8))
                        .forEach(event -> into.add(event.payload()));
                return null;
            } catch (RuntimeException e) {
                return e.getMessage();
            }
        }

        private void report(String where, List<String> found) {
            found.forEach(problem -> problems.add(where + ": " + problem));
        }

        private List<Stored> read(Path file, String label) {
            try {
                return StoredFiles.read(file, label, mapper);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return List.of();
            }
        }

        private JsonNode tree(String json) {
            try {
                return mapper.readTree(json);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ---- upcasting ------------------------------------------------------------------------

    private List<StoredPayload> upcastEvent(String storedType, int version, ObjectNode json) {
        return type.eventUpcasters().apply(new StoredPayload(storedType, version, json));
    }

    private List<StoredPayload> upcastCommand(String storedType, int version, ObjectNode json) {
        return type.commandUpcasters().apply(new StoredPayload(storedType, version, json));
    }

    /** {@code " → v2"}, {@code " → InvoicePaid v1"}, {@code " → dropped"}, or nothing when the record was current. */
    private static String chain(String storedType, int version, List<StoredPayload> upcast) {
        if (upcast.isEmpty()) {
            return " → dropped";
        }
        if (upcast.size() == 1 && upcast.get(0).type().equals(storedType) && upcast.get(0).version() == version) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (StoredPayload next : upcast) {
            parts.add(next.type().equals(storedType) ? "v" + next.version() : next.type() + " v" + next.version());
        }
        return " → " + String.join(" + ", parts);
    }

    // ---- envelope fields ------------------------------------------------------------------

    private static String label(String location, Path file) {
        String base = location.endsWith("/") ? location : location + "/";
        return base + file.getFileName();
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json == null ? null : json.get(field);
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private static int typeVersion(JsonNode envelope) {
        JsonNode node = envelope.get("typeVersion");
        return node == null || !node.canConvertToInt() ? 1 : node.asInt();
    }

    @Override
    public String toString() {
        return "CompatibilityCorpus[" + type.name() + ", events " + eventLocations + ", commands " + commandLocations
                + (tolerated.isEmpty() ? "" : ", tolerating " + tolerated) + "]";
    }
}
