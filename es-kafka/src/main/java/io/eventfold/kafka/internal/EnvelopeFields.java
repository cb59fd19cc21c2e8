package io.eventfold.kafka.internal;

/**
 * The JSON field names and fixed values of the envelopes, written once for the reader and the
 * writer. They are the wire format: renaming one breaks every record already on a topic.
 */
final class EnvelopeFields {

    /** Wire values of the expected versions without a number; fixed, whatever {@code toString} says. */
    static final String ANY = "any";
    static final String NO_STREAM = "noStream";

    static final String COMMAND_ID = "commandId";
    /** The chain a command continues or an event belongs to; absent means the command id, and is written only when it differs. */
    static final String CORRELATION_ID = "correlationId";
    static final String AGGREGATE_ID = "aggregateId";
    static final String EXPECTED_VERSION = "expectedVersion";
    static final String TYPE = "type";
    /** The schema version of a command or event payload; absent means 1 and is written only above 1. */
    static final String TYPE_VERSION = "typeVersion";
    /** The state version of a snapshot or a result's state; absent means 1 and is written only above 1. */
    static final String STATE_VERSION = "stateVersion";
    static final String PAYLOAD = "payload";
    /** Who sent a command, on the command and on each of its events; absent means none, and is written only when there is some. */
    static final String METADATA = "metadata";
    static final String VERSION = "version";
    static final String TIMESTAMP = "timestamp";
    static final String STATE = "state";
    static final String STATE_TYPE = "stateType";
    static final String KIND = "kind";
    static final String EVENTS = "events";
    /** On the answer to a redelivered accepted command, instead of the events and the state. */
    static final String EVENT_COUNT = "eventCount";
    static final String REJECTION = "rejection";
    static final String CODE = "code";
    static final String MESSAGE = "message";
    static final String ERROR_TYPE = "errorType";

    private EnvelopeFields() {
    }
}
