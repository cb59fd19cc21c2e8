package io.eventfold.kafka.internal;

import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Rejection;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Remembers, for the command-id retention, what each handled command is answered when it is
 * delivered again: its {@link CommandResult#redeliveryAnswer() redelivery answer}, a few dozen
 * bytes, never the events or the state.
 *
 * <p>The store is a Kafka Streams window store: entries are filed by the wall-clock time they
 * were remembered, at the start of a bucket of half the retention, into time segments of half
 * the retention (at least a minute), and a segment
 * older than the retention is dropped whole, as a file, when time moves past it. So forgetting
 * costs nothing per command, whatever the rate, and writes no tombstones; the store holds between
 * one and one and a half retention periods of commands. Its changelog topic is deleted by time
 * ({@code cleanup.policy=compact,delete}, kept for two retention periods, see
 * {@code EventSourcedTopology}) and never gets a tombstone: a restore reads one record per
 * command of that period.
 */
public final class CommandIds {


    private static final byte ALREADY_ACCEPTED = 0;
    private static final byte REJECTED = 1;
    private static final byte CONFLICT = 2;

    /** The timestamp and sequence number a window store appends to each key. */
    private static final int WINDOW_KEY_SUFFIX_BYTES = Long.BYTES + Integer.BYTES;

    private static final byte ANY = 0;
    private static final byte NO_STREAM = 1;
    private static final byte EXACTLY = 2;

    private final WindowStore<Bytes, byte[]> store;
    private final Duration retention;

    /**
     * @param store the window store, whose own retention drops old segments
     * @param retention how long a command is remembered: older entries are not answered even
     *     before their segment is dropped
     */
    public CommandIds(WindowStore<Bytes, byte[]> store, Duration retention) {
        this.store = store;
        this.retention = retention;
    }

    /**
     * The store key of a command: the aggregate id is length-prefixed so that no pair of ids can
     * collide, whatever characters they contain.
     */
    public static Bytes key(String aggregateId, String commandId) {
        return Bytes.wrap((aggregateId.length() + ":" + aggregateId + commandId).getBytes(StandardCharsets.UTF_8));
    }

    /** The answer remembered for a command handled within the retention before {@code nowMs}, if any. */
    public <E, S> Optional<CommandResult<E, S>> answer(String aggregateId, String commandId, long nowMs) {
        return answer(store, retention, aggregateId, commandId, nowMs);
    }

    /**
     * The answer remembered for a command, read from the store as interactive queries see it.
     * Entries are filed at the start of their time bucket (half the retention), so this is one
     * point lookup per bucket that can hold a live entry, three at most, and never a range scan.
     *
     * @param store the command-id store of the aggregate's partition
     * @param retention the aggregate type's command-id retention
     * @param nowMs the wall-clock time of the lookup
     */
    public static <E, S> Optional<CommandResult<E, S>> answer(ReadOnlyWindowStore<Bytes, byte[]> store, Duration retention,
                                                              String aggregateId, String commandId, long nowMs) {
        Bytes key = key(aggregateId, commandId);
        long bucket = bucketMs(retention);
        long oldest = bucketStart(nowMs - retention.toMillis(), bucket);
        for (long start = bucketStart(nowMs, bucket); start >= oldest; start -= bucket) {
            byte[] stored = store.fetch(key, start);
            if (stored != null) {
                return Optional.of(decode(aggregateId, commandId, stored));
            }
        }
        return Optional.empty();
    }

    /**
     * Remembers what a redelivery of this command is answered; a failure is not remembered.
     *
     * @param result the command's result
     * @param nowMs the wall-clock time, which files the entry into its time segment
     */
    public <E, S> void remember(CommandResult<E, S> result, long nowMs) {
        long filedAt = bucketStart(nowMs, bucketMs(retention));
        result.redeliveryAnswer().ifPresent(answer ->
                store.put(key(answer.aggregateId(), answer.commandId()), encode(answer), filedAt));
    }

    /**
     * The bytes of the changelog record that remembering this result writes, at most (its window
     * store key carries a timestamp and a sequence number after the ids), or 0 if it is not
     * remembered.
     */
    static int changelogRecordBytes(CommandResult<?, ?> result) {
        return result.redeliveryAnswer()
                .map(answer -> RecordSize.upperBound(key(answer.aggregateId(), answer.commandId()).get().length
                        + WINDOW_KEY_SUFFIX_BYTES, encode(answer).length))
                .orElse(0);
    }

    /**
     * Half the retention: an entry is then remembered for at least the retention (every bucket
     * that overlaps it is looked up) and at most one and a half.
     */
    private static long bucketMs(Duration retention) {
        return Math.max(1, retention.toMillis() / 2);
    }

    private static long bucketStart(long timeMs, long bucketMs) {
        return Math.floorDiv(timeMs, bucketMs) * bucketMs;
    }

    /** The stored form: kind, version, then what only that kind has. The ids are the key. */
    static byte[] encode(CommandResult<?, ?> answer) {
        if (answer instanceof CommandResult.AlreadyAccepted<?, ?> accepted) {
            return ByteBuffer.allocate(1 + Long.BYTES + Integer.BYTES)
                    .put(ALREADY_ACCEPTED).putLong(accepted.version()).putInt(accepted.eventCount()).array();
        }
        if (answer instanceof CommandResult.Rejected<?, ?> rejected) {
            byte[] code = utf8(rejected.rejection().code());
            byte[] message = utf8(rejected.rejection().message());
            return ByteBuffer.allocate(1 + Long.BYTES + 2 * Integer.BYTES + code.length + message.length)
                    .put(REJECTED).putLong(rejected.version())
                    .putInt(code.length).put(code).putInt(message.length).put(message).array();
        }
        if (answer instanceof CommandResult.Conflict<?, ?> conflict) {
            ExpectedVersion expected = conflict.expected();
            byte tag = expected instanceof ExpectedVersion.Exactly ? EXACTLY : expected instanceof ExpectedVersion.NoStream ? NO_STREAM : ANY;
            long number = expected instanceof ExpectedVersion.Exactly exactly ? exactly.version() : 0;
            return ByteBuffer.allocate(2 + 2 * Long.BYTES).put(CONFLICT).putLong(conflict.version()).put(tag).putLong(number).array();
        }
        throw new IllegalArgumentException("not a redelivery answer: " + answer);
    }

    static <E, S> CommandResult<E, S> decode(String aggregateId, String commandId, byte[] stored) {
        ByteBuffer in = ByteBuffer.wrap(stored);
        byte kind = in.get();
        long version = in.getLong();
        switch (kind) {
            case ALREADY_ACCEPTED:
                return new CommandResult.AlreadyAccepted<>(commandId, aggregateId, version, in.getInt());
            case REJECTED:
                String code = string(in);
                return new CommandResult.Rejected<>(commandId, aggregateId, version, new Rejection(code, string(in)));
            case CONFLICT:
                byte tag = in.get();
                long number = in.getLong();
                ExpectedVersion expected = tag == EXACTLY ? ExpectedVersion.exactly(number)
                        : tag == NO_STREAM ? ExpectedVersion.noStream() : ExpectedVersion.any();
                return new CommandResult.Conflict<>(commandId, aggregateId, version, expected);
            default:
                throw new IllegalStateException("command " + commandId + " of aggregate " + aggregateId
                        + " has a remembered answer of unknown kind " + kind);
        }
    }

    private static String string(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
