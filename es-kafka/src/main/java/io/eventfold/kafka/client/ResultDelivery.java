package io.eventfold.kafka.client;

import io.eventfold.core.CommandResult;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.internal.ConsumedRecords;
import io.eventfold.kafka.internal.UnknownTypes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Turns a result record, read from the command-results topic or as a reply, into the completion
 * of the future waiting for it: the one reader of result records on the gateway's side.
 */
final class ResultDelivery<E, S> {

    private static final Logger LOG = LoggerFactory.getLogger(ResultDelivery.class);

    private final AggregateType<?, E, S> type;
    private final PendingCommands<E, S> pending;

    ResultDelivery(AggregateType<?, E, S> type, PendingCommands<E, S> pending) {
        this.type = type;
        this.pending = pending;
    }

    /**
     * A result the gateway waits for completes its future, or fails it with an
     * {@link UnreadableResultException} that keeps its kind and version when it cannot be read;
     * anything else, readable or not, is passed over.
     */
    void deliver(ConsumerRecord<String, byte[]> record) {
        String aggregateId = record.key();
        String commandId = EventfoldHeaders.commandId(record.headers()).orElse(null);
        if (aggregateId == null || commandId == null || !pending.isWaitingFor(aggregateId, commandId)) {
            return;
        }
        CommandResult<E, S> result;
        try {
            result = type.serdes().results().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            UnreadableResultException unreadable = unreadable(record, aggregateId, commandId, e);
            if (unreadable.unknownTypes().isEmpty()) {
                LOG.warn("{}: {}", type.name(), unreadable.getMessage(), e);
            } else {
                // An upgrade in progress, not a bug: the message says it all.
                LOG.warn("{}: {}", type.name(), unreadable.getMessage());
            }
            pending.fail(aggregateId, commandId, unreadable);
            return;
        }
        pending.complete(aggregateId, commandId, result);
    }

    /** What the headers tell of a result that cannot be decoded: its kind and version, so an accepted command is known as one. */
    private UnreadableResultException unreadable(ConsumerRecord<String, byte[]> record, String aggregateId, String commandId,
                                                 RuntimeException error) {
        CommandResult.Kind kind = EventfoldHeaders.read(record.headers(), EventfoldHeaders.RESULT_KIND)
                .flatMap(ResultDelivery::kind).orElse(null);
        return new UnreadableResultException(commandId, aggregateId, kind, ConsumedRecords.version(record.headers()),
                ConsumedRecords.source(record), UnknownTypes.inResult(type.eventCodec(), type.eventUpcasters(), type.stateCodec(), record.value()), error);
    }

    private static Optional<CommandResult.Kind> kind(String header) {
        try {
            return Optional.of(CommandResult.Kind.valueOf(header.trim()));
        } catch (IllegalArgumentException unknownKind) {
            return Optional.empty();
        }
    }
}
