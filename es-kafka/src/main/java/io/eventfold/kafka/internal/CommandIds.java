package io.eventfold.kafka.internal;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Remembers the result of every handled command for a bounded time, so a redelivered command is
 * answered with its original result. Two stores: results by (aggregate id, command id), and an
 * index ordered by handled-at time so expiry is a range scan, not a full scan.
 */
public final class CommandIds {

    private static final byte[] NOTHING = new byte[0];

    private final KeyValueStore<String, byte[]> results;
    private final KeyValueStore<Bytes, byte[]> expiryIndex;

    public CommandIds(KeyValueStore<String, byte[]> results, KeyValueStore<Bytes, byte[]> expiryIndex) {
        this.results = results;
        this.expiryIndex = expiryIndex;
    }

    /**
     * The store key of a command: the aggregate id is length-prefixed so that no pair of ids can
     * collide, whatever characters they contain.
     */
    public static String key(String aggregateId, String commandId) {
        return aggregateId.length() + ":" + aggregateId + commandId;
    }

    /** The encoded result of a command handled before, if it is still remembered. */
    public Optional<byte[]> result(String aggregateId, String commandId) {
        return Optional.ofNullable(results.get(key(aggregateId, commandId))).map(CommandIds::resultBytes);
    }

    /** The encoded result within a stored value, which starts with the handled-at time. */
    public static byte[] resultBytes(byte[] stored) {
        byte[] result = new byte[stored.length - Long.BYTES];
        System.arraycopy(stored, Long.BYTES, result, 0, result.length);
        return result;
    }

    /** Remembers a command's encoded result from {@code handledAtMs} on. */
    public void remember(String aggregateId, String commandId, byte[] result, long handledAtMs) {
        String key = key(aggregateId, commandId);
        results.put(key, ByteBuffer.allocate(Long.BYTES + result.length).putLong(handledAtMs).put(result).array());
        expiryIndex.put(indexKey(handledAtMs, key), NOTHING);
    }

    /**
     * Forgets command ids handled before {@code cutoffMs}, at most {@code limit} of them, so one
     * punctuation after a long pause does not load a whole retention period into memory at once.
     *
     * @return how many command ids were forgotten
     */
    public int expireBefore(long cutoffMs, int limit) {
        List<Bytes> expired = new ArrayList<>();
        // Range bounds are inclusive. Index keys handled at cutoffMs extend the bare 8-byte prefix of
        // cutoffMs, so they sort after it: the range holds exactly the keys handled before cutoffMs.
        try (KeyValueIterator<Bytes, byte[]> iterator =
                     expiryIndex.range(Bytes.wrap(timePrefix(Long.MIN_VALUE)), Bytes.wrap(timePrefix(cutoffMs)))) {
            while (iterator.hasNext() && expired.size() < limit) {
                expired.add(iterator.next().key);
            }
        }
        for (Bytes indexKey : expired) {
            byte[] raw = indexKey.get();
            results.delete(new String(raw, Long.BYTES, raw.length - Long.BYTES, StandardCharsets.UTF_8));
            expiryIndex.delete(indexKey);
        }
        return expired.size();
    }

    private static Bytes indexKey(long handledAtMs, String key) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + keyBytes.length).put(timePrefix(handledAtMs)).put(keyBytes).array());
    }

    /** Big-endian with the sign bit flipped, so that byte order is numeric order for every long. */
    private static byte[] timePrefix(long ms) {
        return ByteBuffer.allocate(Long.BYTES).putLong(ms ^ Long.MIN_VALUE).array();
    }
}
