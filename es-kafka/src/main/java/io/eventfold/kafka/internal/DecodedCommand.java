package io.eventfold.kafka.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfold.core.Command;

import java.util.Optional;

/**
 * What could be read of a command record: the command, or the error and whatever ids were
 * readable, so that even an undecodable command can be answered under its command id.
 *
 * @param command the command, or null when it could not be decoded
 * @param error why it could not be decoded, or null
 * @param commandId the envelope's command id, else the header's, else null
 * @param envelopeAggregateId the envelope's aggregate id, or null when unreadable
 */
public record DecodedCommand<C>(Command<C> command, RuntimeException error, String commandId, String envelopeAggregateId) {

    /** Reads a command record's value as the command processor does; the log audit reads command ids with it too. */
    public static <C> DecodedCommand<C> decode(EnvelopeReader<C, ?, ?> reader, byte[] value, Optional<String> headerCommandId) {
        JsonNode tree = null;
        try {
            tree = reader.readTree(value, "command");
            Command<C> command = reader.readCommand(tree);
            return new DecodedCommand<>(command, null, command.commandId(), command.aggregateId());
        } catch (RuntimeException e) {
            String envelopeCommandId = EnvelopeReader.textOrNull(tree, EnvelopeFields.COMMAND_ID);
            String commandId = envelopeCommandId != null && !envelopeCommandId.isBlank()
                    ? envelopeCommandId : headerCommandId.orElse(null);
            return new DecodedCommand<>(null, e, commandId, EnvelopeReader.textOrNull(tree, EnvelopeFields.AGGREGATE_ID));
        }
    }
}
