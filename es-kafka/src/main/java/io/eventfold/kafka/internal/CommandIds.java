package io.eventfold.kafka.internal;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Remembers the result of every handled command for a bounded time, so a redelivered command is
 * answered with its original result.
 *
 * <p>One store holds two kinds of entry, told apart by their first byte: results by (aggregate id,
 * command id), and an index ordered by handled-at time so expiry is a range scan, not a full scan.
 * One store rather than two saves a changelog partition in every transaction and a store flush
 * at every commit.
 */
public final class CommandIds {

    /** Index entries sort first, so the expiry range never reaches a result entry. */
    private static final byte INDEX = 0;
    private static final byte RESULT = 1;
    /** The index marker and the handled-at time in front of a result key. */
    private static final int INDEX_PREFIX_BYTES = 1 + Long.BYTES;
    private static final byte[] NOTHING = new byte[0];

    private final KeyValueStore<Bytes, byte[]> store;

    public CommandIds(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /**
     * The store key of a command's result: the aggregate id is length-prefixed so that no pair of
     * ids can collide, whatever characters they contain.
     */
    public static Bytes key(String aggregateId, String commandId) {
        byte[] id = (aggregateId.length() + ":" + aggregateId + commandId).getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[1 + id.length];
        key[0] = RESULT;
        System.arraycopy(id, 0, key, 1, id.length);
        return Bytes.wrap(key);
    }

    /** The encoded result of a command handled before, if it is still remembered. */
    public Optional<byte[]> result(String aggregateId, String commandId) {
        return Optional.ofNullable(store.get(key(aggregateId, commandId))).map(CommandIds::resultBytes);
    }

    /** The encoded result within a stored value, which starts with the handled-at time. */
    public static byte[] resultBytes(byte[] stored) {
        return Arrays.copyOfRange(stored, Long.BYTES, stored.length);
    }

    /** Remembers a command's encoded result from {@code handledAtMs} on. */
    public void remember(String aggregateId, String commandId, byte[] result, long handledAtMs) {
        Bytes key = key(aggregateId, commandId);
        store.put(key, ByteBuffer.allocate(Long.BYTES + result.length).putLong(handledAtMs).put(result).array());
        store.put(indexKey(handledAtMs, key), NOTHING);
    }

    /**
     * Forgets command ids handled before {@code cutoffMs}, at most {@code limit} of them, so one
     * punctuation after a long pause does not load a whole retention period into memory at once.
     *
     * @return how many command ids were forgotten
     */
    public int expireBefore(long cutoffMs, int limit) {
        List<Bytes> expired = new ArrayList<>();
        // Range bounds are inclusive. Index keys handled at cutoffMs extend the bare prefix of
        // cutoffMs, so they sort after it: the range holds exactly the keys handled before cutoffMs.
        try (KeyValueIterator<Bytes, byte[]> iterator = store.range(timePrefix(Long.MIN_VALUE), timePrefix(cutoffMs))) {
            while (iterator.hasNext() && expired.size() < limit) {
                expired.add(iterator.next().key);
            }
        }
        for (Bytes indexKey : expired) {
            byte[] raw = indexKey.get();
            store.delete(Bytes.wrap(Arrays.copyOfRange(raw, INDEX_PREFIX_BYTES, raw.length)));
            store.delete(indexKey);
        }
        return expired.size();
    }

    private static Bytes indexKey(long handledAtMs, Bytes resultKey) {
        byte[] prefix = timePrefix(handledAtMs).get();
        byte[] key = resultKey.get();
        return Bytes.wrap(ByteBuffer.allocate(prefix.length + key.length).put(prefix).put(key).array());
    }

    /** The index marker, then the time big-endian with the sign bit flipped, so byte order is numeric order. */
    private static Bytes timePrefix(long ms) {
        return Bytes.wrap(ByteBuffer.allocate(INDEX_PREFIX_BYTES).put(INDEX).putLong(ms ^ Long.MIN_VALUE).array());
    }
}
