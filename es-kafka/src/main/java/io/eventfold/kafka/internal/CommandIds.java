package io.eventfold.kafka.internal;

import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Rejection;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers, for the command-id retention, what each handled command is answered when it is
 * delivered again: its {@link CommandResult#redeliveryAnswer() redelivery answer}, a few dozen
 * bytes, never the events or the state.
 *
 * <p>The store is a Kafka Streams window store: entries are filed by the wall-clock time they
 * were remembered into time segments of half the retention (at least a minute), and a segment
 * older than the retention is dropped whole, as a file, when time moves past it. So forgetting
 * costs nothing per command, whatever the rate, and writes no tombstones; the store holds between
 * one and one and a half retention periods of commands. Its changelog topic is deleted by time
 * ({@code cleanup.policy=compact,delete}), so a restore reads each remembered command once.
 */
public final class CommandIds {

    private static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);

    private static final byte ALREADY_ACCEPTED = 0;
    private static final byte REJECTED = 1;
    private static final byte CONFLICT = 2;

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
        return answer(store, aggregateId, commandId, Instant.ofEpochMilli(nowMs).minus(retention));
    }

    /**
     * The answer remembered for a command, read from the store as interactive queries see it.
     *
     * @param store the command-id store of the aggregate's partition
     * @param since the earliest time of an entry that still counts
     */
    public static <E, S> Optional<CommandResult<E, S>> answer(ReadOnlyWindowStore<Bytes, byte[]> store, String aggregateId,
                                                              String commandId, Instant since) {
        // Only a few segments are live, so this is a handful of point lookups, not a scan.
        try (WindowStoreIterator<byte[]> found = store.fetch(key(aggregateId, commandId), since, LATEST)) {
            return found.hasNext() ? Optional.of(decode(aggregateId, commandId, found.next().value)) : Optional.empty();
        }
    }

    /**
     * Remembers what a redelivery of this command is answered; a failure is not remembered.
     *
     * @param result the command's result
     * @param nowMs the wall-clock time, which files the entry into its time segment
     */
    public <E, S> void remember(CommandResult<E, S> result, long nowMs) {
        result.redeliveryAnswer().ifPresent(answer ->
                store.put(key(answer.aggregateId(), answer.commandId()), encode(answer), nowMs));
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
