package io.eventfold.kafka.internal;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands a process manager sent and has no result of yet, by command id: the source
 * aggregate whose input caused it, the command's envelope (to hand the manager the command with
 * its result, and to send it again), and when to send it again if the target asked for that.
 * Value: {@code retryAt(8) sourceIdLength(4) sourceId envelope}; {@code retryAt} 0 while a result is awaited.
 */
final class SentCommands {

    private final KeyValueStore<String, byte[]> store;

    SentCommands(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** A command waiting for its result. */
    record Pending(String commandId, String sourceAggregateId, byte[] envelope, long retryAtMillis) {

        boolean waitsToBeResent() {
            return retryAtMillis != 0;
        }
    }

    void sent(String commandId, String sourceAggregateId, byte[] envelope) {
        put(new Pending(commandId, sourceAggregateId, envelope, 0));
    }

    /** Null when the command is not pending: answered before, or never sent by this manager. */
    Pending get(String commandId) {
        byte[] value = store.get(commandId);
        return value == null ? null : decode(commandId, value);
    }

    void resendAt(Pending pending, long retryAtMillis) {
        put(new Pending(pending.commandId(), pending.sourceAggregateId(), pending.envelope(), Math.max(1, retryAtMillis)));
    }

    void answered(String commandId) {
        store.delete(commandId);
    }

    /** The commands waiting to be sent again by {@code nowMillis}; all of them scanned, as only a rebuilding target makes them. */
    List<Pending> resendDue(long nowMillis) {
        List<Pending> due = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                Pending pending = decode(entry.key, entry.value);
                if (pending.waitsToBeResent() && pending.retryAtMillis() <= nowMillis) {
                    due.add(pending);
                }
            }
        }
        return due;
    }

    /** Whether any command waits to be sent again. */
    boolean anyWaitsToBeResent() {
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                if (ByteBuffer.wrap(entry.value).getLong() != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The bytes of the changelog record of a pending command's entry. */
    static int entryBytes(String commandId, String sourceAggregateId, byte[] envelope) {
        return commandId.getBytes(StandardCharsets.UTF_8).length + 8 + 4
                + sourceAggregateId.getBytes(StandardCharsets.UTF_8).length + envelope.length;
    }

    private void put(Pending pending) {
        byte[] source = pending.sourceAggregateId().getBytes(StandardCharsets.UTF_8);
        store.put(pending.commandId(), ByteBuffer.allocate(8 + 4 + source.length + pending.envelope().length)
                .putLong(pending.retryAtMillis()).putInt(source.length).put(source).put(pending.envelope()).array());
    }

    private static Pending decode(String commandId, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        long retryAt = buffer.getLong();
        byte[] source = new byte[buffer.getInt()];
        buffer.get(source);
        byte[] envelope = new byte[buffer.remaining()];
        buffer.get(envelope);
        return new Pending(commandId, new String(source, StandardCharsets.UTF_8), envelope, retryAt);
    }
}
