package io.eventfold.kafka;

/**
 * The record headers Eventfold reads and writes. Values are UTF-8 strings.
 *
 * <pre>{@code
 * producer.send(new ProducerRecord<>("invoice-commands", null, "INV-7", json,
 *     List.of(new RecordHeader(EventfoldHeaders.COMMAND_ID, commandId.getBytes(UTF_8)))));
 * }</pre>
 */
public final class EventfoldHeaders {

    /**
     * The command id. Written on every output record; read from command records so that a
     * command whose value cannot be decoded still gets a {@code Failed} result.
     */
    public static final String COMMAND_ID = "eventfold.command-id";

    /** The type name of an event's payload, on event records: lets consumers filter without parsing. */
    public static final String EVENT_TYPE = "eventfold.event-type";

    /** The aggregate version: of the event, of the snapshot, or after the command on a result. */
    public static final String VERSION = "eventfold.version";

    /** The result kind ({@code ACCEPTED}, {@code REJECTED}, {@code CONFLICT}, {@code FAILED}) on result records. */
    public static final String RESULT_KIND = "eventfold.result-kind";

    /** {@code true} on a result re-emitted for a command id that was handled before. */
    public static final String DUPLICATE = "eventfold.duplicate";

    /** On a dead-letter record: why the command could not be answered. */
    public static final String ERROR = "eventfold.error";

    /** On a dead-letter record: the Java class name of the error. */
    public static final String ERROR_TYPE = "eventfold.error-type";

    /** On a dead-letter record: where the command came from, as {@code topic-partition@offset}. */
    public static final String SOURCE = "eventfold.source";

    private EventfoldHeaders() {
    }
}
