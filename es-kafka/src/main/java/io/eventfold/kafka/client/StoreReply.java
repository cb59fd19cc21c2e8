package io.eventfold.kafka.client;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An instance's answer to a {@link StoreRequest}: the envelope found, written by the aggregate
 * type's serdes (a snapshot, or a command result), or why there is none.
 *
 * <pre>{@code
 * StoreReply reply = StoreReply.found(invoices.serdes().snapshots().serializer().serialize("", snapshot));
 * }</pre>
 *
 * @param status what the instance found
 * @param body the envelope's JSON bytes when {@link Status#FOUND}, else the message as UTF-8
 */
public record StoreReply(Status status, byte[] body) {

    /** What an instance found. */
    public enum Status {
        /** The body is the envelope. */
        FOUND,
        /** The store has no entry: an aggregate without events, an unknown command. */
        NOT_FOUND,
        /** This instance does not host the aggregate (now), or cannot query its store: ask again. */
        UNAVAILABLE,
        /** The aggregate's partition rebuilds its snapshots: ask again. */
        REBUILDING,
        /** The awaited version was not reached in time. */
        TIMED_OUT,
        /** The read failed for another reason, named in the message. */
        FAILED
    }

    /**
     * Checks the fields.
     *
     * @param status what the instance found
     * @param body the envelope or the message
     */
    public StoreReply {
        Objects.requireNonNull(status, "status must not be null");
        Objects.requireNonNull(body, "body must not be null");
    }

    /**
     * The envelope found.
     *
     * <pre>{@code
     * StoreReply.found(bytes);
     * }</pre>
     *
     * @param envelope the envelope's bytes
     * @return the reply
     */
    public static StoreReply found(byte[] envelope) {
        return new StoreReply(Status.FOUND, envelope);
    }

    /**
     * Any other answer, with its message.
     *
     * <pre>{@code
     * StoreReply.of(StoreReply.Status.UNAVAILABLE, "partition 2 is not hosted here");
     * }</pre>
     *
     * @param status anything but {@link Status#FOUND}
     * @param message why
     * @return the reply
     */
    public static StoreReply of(Status status, String message) {
        if (status == Status.FOUND) {
            throw new IllegalArgumentException("a FOUND reply carries an envelope: use found(bytes)");
        }
        return new StoreReply(status, message.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The message of a reply other than {@link Status#FOUND}.
     *
     * @return the body as text
     */
    public String message() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
