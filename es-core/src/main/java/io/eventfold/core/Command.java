package io.eventfold.core;

import java.util.Map;
import java.util.UUID;

/**
 * A request to change one aggregate, with the ids that make it traceable and idempotent.
 *
 * <pre>{@code
 * Command<InvoiceCommand> send = Command.of("INV-7", new SendInvoice())
 *     .withExpectedVersion(ExpectedVersion.exactly(3))
 *     .withMetadata(Map.of("user", "alice"));
 * }</pre>
 *
 * @param commandId identifies the command across retries: a command id that was handled before
 *     is answered with its first result's {@link CommandResult#redeliveryAnswer()} and changes nothing; not blank
 * @param aggregateId the aggregate the command is for; not blank
 * @param expectedVersion the version the aggregate must be at, see {@link ExpectedVersion}; not {@code null}
 * @param payload the domain command; not {@code null}
 * @param metadata who sent it and on whose behalf (user, tenant, trace id…), copied to its events
 *     as the aggregate type's {@link MetadataPolicy} says; copied into an unmodifiable map;
 *     {@code null} means empty; keys and values must not be {@code null}, and beyond that the
 *     {@link CommandMetadata} limits make the command {@code Failed}
 * @param correlationId the chain of commands this one continues (the correlation id of the event or
 *     command that caused it), or {@code null} when it starts one: see {@link #correlation()}
 * @param <C> the command type
 */
public record Command<C>(
        String commandId,
        String aggregateId,
        ExpectedVersion expectedVersion,
        C payload,
        Map<String, String> metadata,
        String correlationId) {

    /**
     * Validates every component.
     *
     * @param commandId identifies the command across retries: a command id that was handled before
     *     is answered with its first result's {@link CommandResult#redeliveryAnswer()} and changes nothing; not blank
     * @param aggregateId the aggregate the command is for; not blank
     * @param expectedVersion the version the aggregate must be at, see {@link ExpectedVersion}; not {@code null}
     * @param payload the domain command; not {@code null}
     * @param metadata who sent it and on whose behalf; {@code null} means empty
     * @param correlationId the chain it continues, or {@code null} when it starts one; not blank
     * @throws NullPointerException if a component other than {@code metadata} and
     *     {@code correlationId} is {@code null}, or {@code metadata} holds a {@code null} key or value
     * @throws IllegalArgumentException if {@code commandId}, {@code aggregateId} or a given
     *     {@code correlationId} is blank
     */
    public Command {
        if (correlationId != null) {
            Checks.notBlank(correlationId, "correlationId");
            if (correlationId.equals(commandId)) {
                correlationId = null; // its own chain either way: equal commands compare equal, in any form
            }
        }
        Checks.notBlank(commandId, "commandId");
        Checks.notBlank(aggregateId, "aggregateId");
        Checks.notNull(expectedVersion, "expectedVersion");
        Checks.notNull(payload, "payload");
        metadata = CommandMetadata.copyOf(metadata);
    }

    /**
     * A command that starts a chain of its own (no {@code correlationId}).
     *
     * @param commandId identifies the command across retries; not blank
     * @param aggregateId the aggregate the command is for; not blank
     * @param expectedVersion the version the aggregate must be at; not {@code null}
     * @param payload the domain command; not {@code null}
     * @param metadata who sent it and on whose behalf; {@code null} means empty
     */
    public Command(String commandId, String aggregateId, ExpectedVersion expectedVersion, C payload, Map<String, String> metadata) {
        this(commandId, aggregateId, expectedVersion, payload, metadata, null);
    }

    /**
     * The correlation id its events carry: the {@code correlationId} it continues, or its own
     * command id when it starts a chain.
     *
     * @return never {@code null}
     */
    public String correlation() {
        return correlationId != null ? correlationId : commandId;
    }

    /**
     * Creates a command with a random command id, no version expectation and no metadata.
     *
     * @param aggregateId the aggregate the command is for
     * @param payload the domain command
     * @param <C> the command type
     * @return a new command
     */
    public static <C> Command<C> of(String aggregateId, C payload) {
        return new Command<>(newCommandId(), aggregateId, ExpectedVersion.any(), payload, Map.of());
    }

    /**
     * Returns a fresh random command id (a UUID).
     *
     * @return a new command id
     */
    public static String newCommandId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Returns a copy with another command id.
     *
     * @param commandId the new command id, not blank
     * @return a copy of this command
     */
    public Command<C> withCommandId(String commandId) {
        return new Command<>(commandId, aggregateId, expectedVersion, payload, metadata, correlationId);
    }

    /**
     * Returns a copy with another version expectation.
     *
     * @param expectedVersion the new expectation, not {@code null}
     * @return a copy of this command
     */
    public Command<C> withExpectedVersion(ExpectedVersion expectedVersion) {
        return new Command<>(commandId, aggregateId, expectedVersion, payload, metadata, correlationId);
    }

    /**
     * Returns a copy with other metadata.
     *
     * @param metadata the new metadata, replacing the current one
     * @return a copy of this command
     */
    public Command<C> withMetadata(Map<String, String> metadata) {
        return new Command<>(commandId, aggregateId, expectedVersion, payload, metadata, correlationId);
    }

    /**
     * Returns a copy that continues a chain: its events carry {@code correlationId}, not its own id.
     *
     * <pre>{@code
     * Command<OrderCommand> close = Command.of(orderId, new CloseOrder()).withCorrelationId(paid.correlationId());
     * }</pre>
     *
     * @param correlationId the chain's correlation id, or {@code null} to start a chain
     * @return a copy of this command
     */
    public Command<C> withCorrelationId(String correlationId) {
        return new Command<>(commandId, aggregateId, expectedVersion, payload, metadata, correlationId);
    }
}
