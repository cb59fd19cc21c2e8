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

    /**
     * Where a command record is answered, decided from its key and what could be read of it: the
     * command processor acts on it, and the log audit looks for the answer where it says. The one
     * place of that rule.
     *
     * <pre>{@code
     * DecodedCommand.decode(reader, value, headerId).disposition(record.key())   // ANSWERED_ON_KEY for a keyed record with a command id
     * }</pre>
     *
     * @param key the record's key, possibly null or blank
     * @return {@link Disposition#ANSWERED_ON_KEY} for a keyed record with a command id;
     *     {@link Disposition#ANSWERED_ON_ENVELOPE_ID} for a record without a key whose envelope
     *     names a command id and an aggregate id (answered with a failure under that aggregate
     *     id); {@link Disposition#DEAD_LETTERED} for every other record
     */
    public Disposition disposition(String key) {
        if (key != null && !key.isBlank()) {
            return commandId == null ? Disposition.DEAD_LETTERED : Disposition.ANSWERED_ON_KEY;
        }
        return commandId == null || envelopeAggregateId == null || envelopeAggregateId.isBlank()
                ? Disposition.DEAD_LETTERED : Disposition.ANSWERED_ON_ENVELOPE_ID;
    }

    /** Where a command record's answer goes. */
    public enum Disposition {
        /** A result keyed by the record's key, on the results partition of that key. */
        ANSWERED_ON_KEY,
        /** A failure keyed by the envelope's aggregate id: the record has no key. */
        ANSWERED_ON_ENVELOPE_ID,
        /** No result: the record goes to the dead-letter topic. */
        DEAD_LETTERED
    }

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
