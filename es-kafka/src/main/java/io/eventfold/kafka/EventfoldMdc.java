package io.eventfold.kafka;

/**
 * The SLF4J MDC keys Eventfold sets while it works on one record, so any SLF4J backend can print
 * them: around the command topology's handling of a command record, a process manager's handling
 * of one input, and a projection's apply of a batch. Each is set only when known, and the values
 * the thread had before are put back afterwards.
 *
 * <pre>{@code
 * <!-- logback.xml -->
 * <pattern>%d %-5level [%X{eventfold.aggregateId} %X{eventfold.commandId} %X{eventfold.source}] %logger - %msg%n</pattern>
 * }</pre>
 */
public final class EventfoldMdc {

    /**
     * The aggregate id: of the command being handled; of a process manager's input (the event's
     * aggregate, or for the result of a command it sent, that command's aggregate); of a projection
     * batch whose events are all of one aggregate.
     */
    public static final String AGGREGATE_ID = "eventfold.aggregateId";

    /** The command id of the command record being handled, or of the command a reply answers. */
    public static final String COMMAND_ID = "eventfold.commandId";

    /** Where the record is, as {@code topic-partition@offset} (the format of {@link EventfoldHeaders#SOURCE}). */
    public static final String SOURCE = "eventfold.source";

    private EventfoldMdc() {
    }
}
