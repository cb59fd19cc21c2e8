package io.eventfold.kafka.internal;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The deadlines of one partition that have not fired yet, in a key-value store with two key
 * spaces: by due time (to find what is due with one range scan, in due order) and by aggregate and
 * deadline id (to replace or cancel one). Both entries of a deadline are written and deleted
 * together, in the transaction of the command that scheduled it or of the punctuation that fired it.
 *
 * <p>Keys: {@code 'd' due(8) aggregateIdLength(4) aggregateId deadlineId} with the value
 * {@code held(1) commandIdLength(4) commandId commandEnvelope} ({@code held} 1 for a command that
 * fired before and was held back because its partition rebuilt its snapshots); and {@code 'i' aggregateIdLength(4)
 * aggregateId deadlineId} with the value {@code due(8)}. Due times are epoch milliseconds with the
 * sign bit flipped, so that the bytes sort as the numbers do.
 */
final class DeadlineStore {

    private static final byte BY_DUE = 'd';
    private static final byte BY_ID = 'i';
    private static final Bytes FIRST_DUE = Bytes.wrap(new byte[] {BY_DUE});
    private static final Bytes AFTER_DUE = Bytes.wrap(new byte[] {BY_DUE + 1});

    private final KeyValueStore<Bytes, byte[]> store;

    DeadlineStore(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** A deadline waiting to fire: the command record it sends. */
    record Due(String aggregateId, String deadlineId, long dueMillis, String commandId, byte[] envelope, boolean heldBack) {
    }

    /** Schedules a deadline, replacing one of the same aggregate and id. */
    void schedule(String aggregateId, String deadlineId, long dueMillis, String commandId, byte[] envelope) {
        put(aggregateId, deadlineId, dueMillis, commandId, envelope, false);
    }

    /**
     * Keeps a fired command that its partition held back while rebuilding its snapshots, to fire
     * again: unless the aggregate has scheduled this deadline id anew since (the newer one wins).
     */
    void holdBack(String aggregateId, String deadlineId, long dueMillis, String commandId, byte[] envelope) {
        if (store.get(idKey(aggregateId, deadlineId)) == null) {
            put(aggregateId, deadlineId, dueMillis, commandId, envelope, true);
        }
    }

    private void put(String aggregateId, String deadlineId, long dueMillis, String commandId, byte[] envelope, boolean heldBack) {
        cancel(aggregateId, deadlineId);
        byte[] id = commandId.getBytes(StandardCharsets.UTF_8);
        store.put(dueKey(dueMillis, aggregateId, deadlineId), ByteBuffer.allocate(1 + 4 + id.length + envelope.length)
                .put((byte) (heldBack ? 1 : 0)).putInt(id.length).put(id).put(envelope).array());
        store.put(idKey(aggregateId, deadlineId), ByteBuffer.allocate(8).putLong(dueMillis).array());
    }

    /** Cancels a deadline if it is waiting; nothing otherwise. */
    void cancel(String aggregateId, String deadlineId) {
        Bytes idKey = idKey(aggregateId, deadlineId);
        byte[] due = store.get(idKey);
        if (due != null) {
            store.delete(dueKey(ByteBuffer.wrap(due).getLong(), aggregateId, deadlineId));
            store.delete(idKey);
        }
    }

    /** Forgets a deadline that fired. */
    void fired(Due due) {
        store.delete(dueKey(due.dueMillis(), due.aggregateId(), due.deadlineId()));
        store.delete(idKey(due.aggregateId(), due.deadlineId()));
    }

    /** Up to {@code max} deadlines due at or before {@code nowMillis}, earliest first. */
    List<Due> dueBy(long nowMillis, int max) {
        List<Due> due = new ArrayList<>();
        // Copied out before any delete, so no write happens while the iterator is open.
        try (KeyValueIterator<Bytes, byte[]> range = store.range(FIRST_DUE, AFTER_DUE)) {
            while (range.hasNext() && due.size() < max) {
                var entry = range.next();
                ByteBuffer key = ByteBuffer.wrap(entry.key.get());
                key.get();
                long dueMillis = key.getLong() ^ Long.MIN_VALUE;
                if (dueMillis > nowMillis) {
                    break;
                }
                String aggregateId = text(key, key.getInt());
                String deadlineId = text(key, key.remaining());
                ByteBuffer value = ByteBuffer.wrap(entry.value);
                boolean heldBack = value.get() == 1;
                String commandId = text(value, value.getInt());
                byte[] envelope = new byte[value.remaining()];
                value.get(envelope);
                due.add(new Due(aggregateId, deadlineId, dueMillis, commandId, envelope, heldBack));
            }
        }
        return due;
    }

    /** When the earliest waiting deadline is due; empty when none waits. */
    OptionalLong earliest() {
        try (KeyValueIterator<Bytes, byte[]> range = store.range(FIRST_DUE, AFTER_DUE)) {
            if (!range.hasNext()) {
                return OptionalLong.empty();
            }
            ByteBuffer key = ByteBuffer.wrap(range.next().key.get());
            key.get();
            return OptionalLong.of(key.getLong() ^ Long.MIN_VALUE);
        }
    }

    /** The bytes of the larger of a deadline's two changelog records. */
    static int entryBytes(String aggregateId, String deadlineId, String commandId, byte[] envelope) {
        return 1 + 8 + 4 + utf8Length(aggregateId) + utf8Length(deadlineId) + 1 + 4 + utf8Length(commandId) + envelope.length;
    }

    private static Bytes dueKey(long dueMillis, String aggregateId, String deadlineId) {
        byte[] aggregate = aggregateId.getBytes(StandardCharsets.UTF_8);
        byte[] deadline = deadlineId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(1 + 8 + 4 + aggregate.length + deadline.length).put(BY_DUE)
                .putLong(dueMillis ^ Long.MIN_VALUE).putInt(aggregate.length).put(aggregate).put(deadline).array());
    }

    private static Bytes idKey(String aggregateId, String deadlineId) {
        byte[] aggregate = aggregateId.getBytes(StandardCharsets.UTF_8);
        byte[] deadline = deadlineId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(1 + 4 + aggregate.length + deadline.length).put(BY_ID)
                .putInt(aggregate.length).put(aggregate).put(deadline).array());
    }

    private static String text(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
