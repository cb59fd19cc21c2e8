package io.eventfold.kafka.internal;

import io.eventfold.kafka.EventfoldHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.util.Optional;

/**
 * What a topology processor's work on one input record is seen as: the {@link io.eventfold.kafka.EventfoldMdc}
 * keys for the log lines written meanwhile, and a {@link Tracing#HANDLE} or {@link Tracing#REACT}
 * span continuing the input's trace. Closing it ends the span and restores the MDC.
 *
 * <pre>{@code
 * try (HandlingScope scope = HandlingScope.command(tracing, type.name(), record, context.recordMetadata(), key, commandId)) {
 *     ...   // outputs built meanwhile: scope.work().putOn(headers)
 * }
 * }</pre>
 */
final class HandlingScope implements AutoCloseable {

    private final TracedWork work;
    private final LogContext log;

    private HandlingScope(TracedWork work, LogContext log) {
        this.work = work;
        this.log = log;
    }

    /**
     * The command topology's handling of a command record.
     *
     * @param aggregateId the record's key, or the envelope's aggregate id when it has none
     * @param commandId the command id of the header or the envelope, or null
     */
    static HandlingScope command(Tracing tracing, String aggregateType, Record<String, byte[]> record,
                                 Optional<RecordMetadata> metadata, String aggregateId, String commandId) {
        String source = source(metadata);
        TracedWork work = tracing.consume(Tracing.HANDLE, metadata.map(RecordMetadata::topic).orElse(""), record.headers(), true);
        work.attribute(Tracing.AGGREGATE_TYPE, aggregateType);
        work.attribute(Tracing.AGGREGATE_ID, aggregateId);
        work.attribute(Tracing.COMMAND_ID, commandId);
        work.attribute(Tracing.SOURCE, source);
        return new HandlingScope(work, LogContext.of(aggregateId, commandId, source));
    }

    /**
     * A process manager's handling of an event of its source type (keyed by its aggregate) or of
     * the result of a command it sent (keyed by the source aggregate that caused it).
     */
    static HandlingScope reaction(Tracing tracing, String manager, Record<String, byte[]> record,
                                  Optional<RecordMetadata> metadata) {
        String source = source(metadata);
        String commandId = EventfoldHeaders.commandId(record.headers()).orElse(null);
        TracedWork work = tracing.consume(Tracing.REACT, metadata.map(RecordMetadata::topic).orElse(""), record.headers(), true);
        work.attribute(Tracing.PROCESS_MANAGER, manager);
        work.attribute(Tracing.AGGREGATE_ID, record.key());
        work.attribute(Tracing.COMMAND_ID, commandId);
        work.attribute(Tracing.SOURCE, source);
        return new HandlingScope(work, LogContext.of(record.key(), commandId, source));
    }

    private static String source(Optional<RecordMetadata> metadata) {
        return RecordPosition.describe(metadata, null);
    }

    /** The span of this work, or {@link TracedWork#NONE}'s like: what its outputs continue. */
    TracedWork work() {
        return work;
    }

    @Override
    public void close() {
        try {
            work.close();
        } finally {
            log.close();
        }
    }
}
