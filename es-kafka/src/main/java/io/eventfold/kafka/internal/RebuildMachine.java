package io.eventfold.kafka.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfold.core.Aggregate;
import io.eventfold.core.ErrorText;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.RebuildStatus;
import io.eventfold.kafka.RebuildStatus.Phase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The snapshot rebuild of one partition: decides from the marker whether the partition's
 * snapshots are current, and if not replays the events partition into the snapshot store, then
 * publishes each rebuilt snapshot, in bounded steps ({@link #tick}). It touches Kafka only
 * through an {@link EventLog} and the store only through {@link Store}, so it runs the same on a
 * broker, on a TopologyTestDriver and in a unit test; the command processor drives it.
 *
 * <p>An entry the replay writes carries {@code "rebuilding":{"commandId","timestamp","target"}}
 * until it is published: the last event's id and time for the snapshot record's headers, and the
 * version the aggregate had before the rebuild, which the replay must reach (else events are missing).
 *
 * <p>Replayed states are kept decoded in memory and written to the store together with the marker
 * that covers them, at most every {@code flushInterval} or {@code maxBuffered} aggregates: an
 * aggregate's events are usually spread over the partition, and writing its entry after each one
 * would decode, encode and log its state once per event instead of once per flush. What is not
 * yet written is not committed either, so a crash or a lost task resumes at the last marker with
 * the entries it covers, as after any uncommitted work.
 */
final class RebuildMachine<C, E, S> {

    private static final Logger LOG = LoggerFactory.getLogger(RebuildMachine.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String FLAG = "rebuilding";
    /** Entries read from the store per step of publishing. */
    private static final int PUBLISH_BATCH = 200;
    /** The longest a poll waits, so a tick ends near its deadline. */
    private static final Duration MAX_POLL = Duration.ofMillis(100);

    /** The snapshot store of the partition, as the machine needs it. */
    interface Store {
        byte[] get(String key);

        void put(String key, byte[] value);

        void delete(String key);

        /** Up to {@code max} entries in key order after {@code afterKey} (from the first when null), the marker left out. */
        List<Map.Entry<String, byte[]>> after(String afterKey, int max);
    }

    /** Where a rebuilt snapshot goes: the snapshots topic, and the store's waiters. */
    interface Output {
        void publish(String aggregateId, String commandId, long version, byte[] snapshot, long timestamp);
    }

    /** A failure of the events log, retried at the next tick; the store's and the output's are never caught. */
    private static final class LogUnavailable extends RuntimeException {
        LogUnavailable(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final AggregateType<C, E, S> type;
    private final Aggregate<C, E, S> aggregate;
    private final int stateVersion;
    private final String eventsTopic;
    private final int partition;
    private final Store store;
    private final Output output;
    private final Supplier<EventLog> logs;
    private final LongSupplier nanoTime;
    private final Supplier<Instant> now;
    private final long maxRecordsPerTick;
    private final int maxBuffered;
    private final long flushIntervalNanos;
    private final EnvelopeReader<C, E, S> reader;
    private final EnvelopeWriter<C, E, S> writer;

    private Phase phase = Phase.STARTING;
    private RebuildMarker marker;
    private String failure;
    private EventLog log;
    private boolean positioned;
    private Instant stalledSince;
    /** Replayed states not yet in the store, by aggregate id. */
    private final Map<String, Buffered<S>> buffered = new HashMap<>();
    /** Where the replay has got to, ahead of the marker while states are buffered. */
    private long replayOffset;
    private long replayEnd;
    private long replayAggregates;
    private long firstBufferedAt;

    /** A replayed state not yet written: its version, the version to reach, and its last event's id and time. */
    private record Buffered<S>(long version, S state, long target, String commandId, long timestamp) {
    }

    RebuildMachine(AggregateType<C, E, S> type, int partition, Store store, Output output, Supplier<EventLog> logs,
                   LongSupplier nanoTime, Supplier<Instant> now, long maxRecordsPerTick) {
        this(type, partition, store, output, logs, nanoTime, now, maxRecordsPerTick, 1, Duration.ZERO);
    }

    RebuildMachine(AggregateType<C, E, S> type, int partition, Store store, Output output, Supplier<EventLog> logs,
                   LongSupplier nanoTime, Supplier<Instant> now, long maxRecordsPerTick, int maxBuffered,
                   Duration flushInterval) {
        this.type = type;
        this.aggregate = type.aggregate();
        this.stateVersion = type.stateVersion();
        this.eventsTopic = type.topics().events();
        this.partition = partition;
        this.store = store;
        this.output = output;
        this.logs = logs;
        this.nanoTime = nanoTime;
        this.now = now;
        this.maxRecordsPerTick = maxRecordsPerTick;
        this.maxBuffered = Math.max(1, maxBuffered);
        this.flushIntervalNanos = flushInterval.toNanos();
        this.reader = new EnvelopeReader<>(EnvelopeSchema.of(type));
        this.writer = new EnvelopeWriter<>(EnvelopeSchema.of(type));
    }

    /** Reads the marker; no Kafka call, so a partition whose snapshots are current starts at no cost. */
    void init() {
        byte[] stored = store.get(RebuildMarker.KEY);
        try {
            marker = stored == null ? null : RebuildMarker.fromBytes(stored);
        } catch (RuntimeException unreadable) {
            marker = null;
            fail(unreadable.getMessage());
            return;
        }
        if (marker == null || marker.stateVersion() < stateVersion) {
            phase = Phase.STARTING;
        } else if (marker.stateVersion() > stateVersion) {
            phase = Phase.REFUSING_NEWER;
            LOG.error("{}: partition {} holds snapshots of state version {}, newer than this build's {}: its commands are"
                    + " refused until a build of state version {} or later runs it", type.name(), partition,
                    marker.stateVersion(), stateVersion, marker.stateVersion());
        } else {
            phase = marker.phase();
            if (phase != Phase.CURRENT) {
                LOG.info("{}: partition {} resumes its snapshot rebuild for state version {} in {} at offset {} of {}",
                        type.name(), partition, stateVersion, phase, marker.offset(), marker.end());
            }
        }
    }

    Phase phase() {
        return phase;
    }

    /** Whether commands can be handled against the store: every entry is complete. */
    boolean handlesCommands() {
        return phase == Phase.PUBLISHING || phase == Phase.CURRENT;
    }

    /**
     * Why a command on this entry must wait although the partition handles commands, or null: while
     * publishing, an entry the replay has not brought to its version before the rebuild (events may
     * be missing, which publishing will find) or one of another state version (no event of it was
     * found; publishing removes it) is not a state to decide on.
     *
     * @param aggregateId the command's aggregate
     * @param entry its snapshot-store entry, or null
     */
    String incompleteEntry(String aggregateId, byte[] entry) {
        if (phase != Phase.PUBLISHING || entry == null) {
            return null;
        }
        ObjectNode tree;
        try {
            tree = tree(entry);
        } catch (RuntimeException unreadable) {
            return null; // the command is answered as for any unreadable snapshot
        }
        boolean otherVersion = EnvelopeReader.stateVersionOf(tree) != stateVersion;
        JsonNode flag = tree.get(FLAG);
        boolean belowTarget = flag != null && tree.path(EnvelopeFields.VERSION).asLong() < flag.path("target").asLong();
        if (!otherVersion && !belowTarget) {
            return null;
        }
        return "partition " + partition + " of " + type.name() + " is publishing its rebuilt snapshots for state version "
                + stateVersion + " and has not checked aggregate " + ErrorText.bounded(aggregateId) + " yet; send again";
    }

    /** Whether commands answered now should be sent again later: the partition is working its way to them. */
    boolean refusalIsTemporary() {
        return phase == Phase.STARTING || phase == Phase.REPLAYING || phase == Phase.PUBLISHING;
    }

    /** Whether ticks have work left; none once CURRENT, FAILED or REFUSING_NEWER. */
    boolean working() {
        return phase == Phase.STARTING || phase == Phase.REPLAYING || phase == Phase.PUBLISHING;
    }

    /**
     * Decides, if not yet decided, whether the partition needs a rebuild: at most two calls to the
     * events log (its beginning and end), none when the store already tells.
     */
    void decide() {
        if (phase != Phase.STARTING || stalledSince != null) {
            // Once the log was unreachable, only ticks retry: a command must not block the thread each time.
            return;
        }
        if (marker == null) {
            // The store may have been filled after init (the testkit copies entries into a new driver).
            init();
            if (phase != Phase.STARTING) {
                return;
            }
        }
        try {
            decideNow();
            stalledSince = null;
        } catch (LogUnavailable e) {
            stalled(e);
        }
    }

    private void decideNow() {
        if (marker != null) {
            replayFrom(marker.stateVersion(), "snapshots of state version " + marker.stateVersion());
            return;
        }
        List<Map.Entry<String, byte[]>> first = store.after(null, 1);
        if (!first.isEmpty() && stateVersion == EnvelopeSchema.FIRST_VERSION) {
            // A store written before markers existed: its snapshots are of state version 1.
            become(RebuildMarker.current(stateVersion, stateVersion));
            return;
        }
        long end = logCall(() -> log().endOffset());
        if (end == 0) {
            become(RebuildMarker.current(stateVersion, 0));
            closeLog();
            return;
        }
        int from = first.isEmpty() ? 0 : storedVersion(first.get(0).getValue());
        replayFrom(from, first.isEmpty() ? "an empty snapshot store over " + end + " offsets of events"
                : "snapshots of state version " + from);
    }

    private void replayFrom(int from, String reason) {
        long beginning = logCall(() -> log().beginningOffset());
        if (beginning > 0) {
            fail("events before offset " + beginning + " of " + position(beginning)
                    + " were deleted, so the snapshots cannot be rebuilt from them; restore the events or keep state version "
                    + from);
            return;
        }
        long end = logCall(() -> log().endOffset());
        LOG.info("{}: partition {} rebuilds its snapshots for state version {} from {} ({} offsets of {})", type.name(),
                partition, stateVersion, reason, end, eventsTopic);
        buffered.clear();
        become(RebuildMarker.replaying(stateVersion, from, end, now.get()));
        positioned = false;
    }

    /**
     * Does a bounded step of work: the decision, replaying or publishing, until the budget is spent.
     * Its store writes, snapshots and marker commit with the task's next transaction.
     */
    void tick(Duration budget) {
        long deadline = nanoTime.getAsLong() + budget.toNanos();
        try {
            if (phase == Phase.STARTING) {
                decideNow();
            }
            if (phase == Phase.REPLAYING) {
                replay(deadline);
            }
            if (phase == Phase.PUBLISHING && nanoTime.getAsLong() < deadline) {
                publish(deadline);
            }
            stalledSince = null;
        } catch (LogUnavailable e) {
            stalled(e);
        }
    }

    // ---- replaying ----------------------------------------------------------------------------

    private void replay(long deadline) {
        if (buffered.isEmpty()) {
            replayOffset = marker.offset();
            replayEnd = marker.end();
            replayAggregates = marker.aggregates();
        }
        if (!positioned) {
            long offset = replayOffset;
            logCall(() -> {
                log().seek(offset);
                return null;
            });
            positioned = true;
        }
        long records = 0;
        while (phase == Phase.REPLAYING && nanoTime.getAsLong() < deadline && records < maxRecordsPerTick) {
            long wait = Math.max(0, Math.min(MAX_POLL.toNanos(), deadline - nanoTime.getAsLong()));
            List<EventLog.Entry> entries = logCall(() -> log().poll(Duration.ofNanos(wait)));
            if (entries.isEmpty()) {
                replayOffset = Math.max(replayOffset, logCall(() -> log().position()));
                if (replayOffset >= replayEnd) {
                    // A previous owner's transaction markers may land late: ask again before publishing.
                    long latest = logCall(() -> log().endOffset());
                    if (latest > replayOffset) {
                        replayEnd = latest;
                        continue;
                    }
                    flush();
                    if (phase == Phase.REPLAYING) {
                        startPublishing();
                    }
                    return;
                }
                continue;
            }
            for (EventLog.Entry entry : entries) {
                if (records >= maxRecordsPerTick) {
                    positioned = false;
                    break;
                }
                StoredEvent<E> stored = storedEvent(entry);
                if (stored == null) {
                    return;
                }
                replayAggregates += apply(stored, entry.offset());
                if (phase != Phase.REPLAYING) {
                    return;
                }
                replayOffset = entry.offset() + 1;
                replayEnd = Math.max(replayEnd, replayOffset);
                records++;
            }
        }
        if (phase == Phase.REPLAYING && (buffered.size() >= maxBuffered
                || nanoTime.getAsLong() - firstBufferedAt >= flushIntervalNanos)) {
            flush();
        }
    }

    /** Writes the buffered states and the marker that covers them: they commit together. */
    private void flush() {
        for (Map.Entry<String, Buffered<S>> each : buffered.entrySet()) {
            String id = each.getKey();
            Buffered<S> state = each.getValue();
            byte[] encoded;
            try {
                encoded = writer.snapshot(new Snapshot<>(id, state.version(), state.state()));
            } catch (RuntimeException e) {
                fail("the state of aggregate " + ErrorText.bounded(id) + " at version " + state.version()
                        + " cannot be written: " + e.getMessage());
                return;
            }
            ObjectNode flag = MAPPER.createObjectNode();
            flag.put("commandId", state.commandId());
            flag.put("timestamp", state.timestamp());
            flag.put("target", state.target());
            store.put(id, withFlag(encoded, flag));
        }
        buffered.clear();
        marker = marker.replayed(replayOffset, replayEnd, replayAggregates);
        store.put(RebuildMarker.KEY, marker.toBytes());
    }

    /**
     * One record of the events topic, upcast to the events it is today (none when dropped, several
     * when split), each with the record's version: the one place the rebuild decodes events. Null,
     * and the rebuild failed, when it cannot be read.
     */
    private StoredEvent<E> storedEvent(EventLog.Entry entry) {
        try {
            return reader.readStoredEvent(entry.value());
        } catch (RuntimeException e) {
            fail("the event at " + position(entry.offset()) + " cannot be read: " + e.getMessage());
            return null;
        }
    }

    /**
     * Applies one stored record to its aggregate's state: its version is checked once, each of its
     * events evolved in order; a dropped record still takes the aggregate to its version. 1 when the
     * aggregate is new to this rebuild, else 0.
     */
    private int apply(StoredEvent<E> record, long offset) {
        String id = record.aggregateId();
        Loaded<S> loaded;
        Buffered<S> inMemory = buffered.get(id);
        if (inMemory != null) {
            loaded = new Loaded<>(inMemory.version(), inMemory.state(), inMemory.target(), true);
        } else {
            try {
                loaded = load(id);
            } catch (RuntimeException unreadable) {
                fail("the stored snapshot of aggregate " + ErrorText.bounded(id) + " cannot be read: " + unreadable.getMessage());
                return 0;
            }
        }
        long version = record.version();
        if (version <= loaded.version) {
            return 0; // already in the entry: a record read twice, or an entry built before this rebuild
        }
        if (version != loaded.version + 1) {
            fail("aggregate " + ErrorText.bounded(id) + " has event version " + version + " at " + position(offset)
                    + " after version " + loaded.version + ": versions " + (loaded.version + 1) + " to "
                    + (version - 1) + " are missing");
            return 0;
        }
        S state = loaded.state;
        long timestamp = inMemory != null ? inMemory.timestamp() : 0;
        for (Event<E> event : record.events()) {
            try {
                state = aggregate.evolve(state, event.payload());
            } catch (RuntimeException e) {
                fail("evolve failed on aggregate " + ErrorText.bounded(id) + " at version " + version + " ("
                        + position(offset) + "): " + e);
                return 0;
            }
            timestamp = event.timestamp().toEpochMilli();
        }
        if (buffered.isEmpty()) {
            firstBufferedAt = nanoTime.getAsLong();
        }
        buffered.put(id, new Buffered<>(version, state, loaded.target, record.commandId(), timestamp));
        return loaded.flagged ? 0 : 1;
    }

    /**
     * The snapshot envelope with the flag as its last field. Spliced into the writer's bytes rather
     * than through a JSON tree, which could change how a number of the state is written.
     */
    private static byte[] withFlag(byte[] envelope, ObjectNode flag) {
        int close = envelope.length - 1;
        while (close > 0 && envelope[close] != '}') {
            close--;
        }
        byte[] field = (",\"" + FLAG + "\":" + flag).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] result = new byte[close + field.length + 1];
        System.arraycopy(envelope, 0, result, 0, close);
        System.arraycopy(field, 0, result, close, field.length);
        result[result.length - 1] = '}';
        return result;
    }

    private record Loaded<S>(long version, S state, long target, boolean flagged) {
    }

    /**
     * An entry as the replay continues it: one of the current state version goes on from its
     * version; another's (or none) starts from the initial state and must reach its old version.
     */
    private Loaded<S> load(String id) {
        byte[] bytes = store.get(id);
        if (bytes == null) {
            return new Loaded<>(0, aggregate.initialState(), 0, false);
        }
        ObjectNode entry = tree(bytes);
        if (EnvelopeReader.stateVersionOf(entry) != stateVersion) {
            return new Loaded<>(0, aggregate.initialState(), entry.path(EnvelopeFields.VERSION).asLong(), false);
        }
        Snapshot<S> snapshot = reader.readSnapshot(bytes);
        JsonNode flag = entry.get(FLAG);
        long target = flag == null ? snapshot.version() : flag.path("target").asLong();
        return new Loaded<>(snapshot.version(), snapshot.state(), target, flag != null);
    }

    // ---- publishing ---------------------------------------------------------------------------

    private void startPublishing() {
        LOG.info("{}: partition {} replayed {} offsets of {} into {} aggregates; publishing their snapshots", type.name(),
                partition, marker.offset(), eventsTopic, marker.aggregates());
        become(marker.withPhase(Phase.PUBLISHING, null));
    }

    private void publish(long deadline) {
        String afterKey = marker.afterKey();
        long published = marker.published();
        try {
            while (nanoTime.getAsLong() < deadline) {
                List<Map.Entry<String, byte[]>> batch = store.after(afterKey, PUBLISH_BATCH);
                if (batch.isEmpty()) {
                    marker = marker.publishedUpTo(afterKey, published);
                    finish();
                    return;
                }
                for (Map.Entry<String, byte[]> stored : batch) {
                    String id = stored.getKey();
                    ObjectNode entry;
                    int version;
                    byte[] republished = null;
                    try {
                        entry = tree(stored.getValue());
                        version = EnvelopeReader.stateVersionOf(entry);
                        if (version == stateVersion && entry.has(FLAG)) {
                            // Written again by the writer, so the published bytes are those a command would write.
                            republished = writer.snapshot(reader.readSnapshot(stored.getValue()));
                        }
                    } catch (RuntimeException unreadable) {
                        fail("the stored snapshot of aggregate " + ErrorText.bounded(id) + " cannot be read: " + unreadable.getMessage());
                        return;
                    }
                    if (version != stateVersion) {
                        // No event of this aggregate was found: a snapshot without events cannot be rebuilt.
                        LOG.warn("{}: aggregate {} of partition {} has a snapshot of state version {} but no event in {}:"
                                + " its snapshot is removed", type.name(), ErrorText.bounded(id), partition, version, eventsTopic);
                        store.delete(id);
                    } else if (entry.has(FLAG)) {
                        JsonNode flag = entry.get(FLAG);
                        long reached = entry.path(EnvelopeFields.VERSION).asLong();
                        long target = flag.path("target").asLong();
                        if (reached < target) {
                            fail("aggregate " + ErrorText.bounded(id) + " was at version " + target
                                    + " before the rebuild but its events in " + eventsTopic + "-" + partition
                                    + " reach only version " + reached + ": events are missing");
                            return;
                        }
                        byte[] bytes = republished;
                        store.put(id, bytes);
                        output.publish(id, flag.path("commandId").asText(), reached, bytes, flag.path("timestamp").asLong());
                        published++;
                    }
                    afterKey = id;
                }
            }
        } finally {
            if (phase == Phase.PUBLISHING) {
                marker = marker.publishedUpTo(afterKey, published);
                store.put(RebuildMarker.KEY, marker.toBytes());
            }
        }
    }

    private void finish() {
        Instant finished = now.get();
        become(marker.withPhase(Phase.CURRENT, finished));
        closeLog();
        Duration took = marker.startedAt() == null ? Duration.ZERO : Duration.between(marker.startedAt(), finished);
        LOG.info("{}: partition {} snapshots are current for state version {}: {} offsets replayed, {} aggregates"
                        + " rebuilt, {} snapshots published in {} ms", type.name(), partition, stateVersion, marker.offset(),
                marker.aggregates(), marker.published(), took.toMillis());
    }

    // ---- shared -------------------------------------------------------------------------------

    private void become(RebuildMarker next) {
        marker = next;
        phase = next.phase();
        store.put(RebuildMarker.KEY, next.toBytes());
    }

    private void fail(String reason) {
        buffered.clear();
        failure = reason;
        phase = Phase.FAILED;
        closeLog();
        LOG.error("{}: partition {} cannot rebuild its snapshots for state version {}, so its commands are refused: {}",
                type.name(), partition, stateVersion, reason);
    }

    private void stalled(LogUnavailable e) {
        if (stalledSince == null) {
            stalledSince = now.get();
        }
        LOG.warn("{}: partition {} cannot read {} since {} (retried at the next tick): {}", type.name(), partition,
                eventsTopic + "-" + partition, stalledSince, e.getMessage());
        closeLog();
    }

    private EventLog log() {
        if (log == null) {
            log = logs.get();
            positioned = false;
        }
        return log;
    }

    private <T> T logCall(Supplier<T> call) {
        try {
            return call.get();
        } catch (LogUnavailable e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LogUnavailable(e);
        }
    }

    private void closeLog() {
        if (log != null) {
            try {
                log.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the events log of partition {} failed", partition, e);
            }
            log = null;
            positioned = false;
        }
    }

    /** Closes the events log; the marker already holds the progress. */
    void close() {
        closeLog();
    }

    private String position(long offset) {
        return new RecordPosition(eventsTopic, partition, offset).toString();
    }

    private int storedVersion(byte[] entry) {
        try {
            return EnvelopeReader.stateVersionOf(tree(entry));
        } catch (RuntimeException unreadable) {
            return 0;
        }
    }

    /** Why commands wait, with the progress; null when they are handled. */
    String refusal() {
        String where = "partition " + partition + " of " + type.name();
        switch (phase) {
            case STARTING:
                return where + " is checking whether its snapshots are current for state version " + stateVersion
                        + (stalledSince == null ? "" : " (cannot read " + eventsTopic + " since " + stalledSince + ")")
                        + "; send again";
            case REPLAYING:
                RebuildStatus status = status();
                return where + " is rebuilding its snapshots for state version " + stateVersion + ": " + status.percent()
                        + "% (" + String.format("%,d of %,d", status.offsetsRead(), status.offsetsTotal()) + " events)"
                        + (stalledSince == null ? "" : ", stalled since " + stalledSince) + "; send again";
            case FAILED:
                return where + " cannot rebuild its snapshots for state version " + stateVersion + ": " + failure
                        + "; commands wait until this is fixed";
            case REFUSING_NEWER:
                return where + " holds snapshots of state version " + marker.stateVersion() + ", newer than this build's "
                        + stateVersion + ": run a build of state version " + marker.stateVersion() + " or later";
            default:
                return null;
        }
    }

    RebuildStatus status() {
        RebuildMarker m = marker;
        if (m == null) {
            return new RebuildStatus(type.name(), partition, phase, 0, stateVersion, 0, 0, 0, null, null);
        }
        boolean ahead = phase == Phase.REPLAYING && !buffered.isEmpty();
        return new RebuildStatus(type.name(), partition, phase, m.from(), stateVersion, ahead ? replayOffset : m.offset(),
                Math.max(ahead ? replayEnd : m.end(), 0), ahead ? replayAggregates : m.aggregates(), m.startedAt(), m.finishedAt());
    }

    private static ObjectNode tree(byte[] bytes) {
        try {
            return (ObjectNode) MAPPER.readTree(bytes);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("a snapshot-store entry is not a JSON object: " + e.getMessage(), e);
        }
    }
}
