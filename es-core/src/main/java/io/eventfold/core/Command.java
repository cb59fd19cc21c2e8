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
 * @param metadata free-form string pairs carried along (user, trace id…); copied into an
 *     unmodifiable map; {@code null} means empty; keys and values must not be {@code null}
 * @param <C> the command type
 */
public record Command<C>(
        String commandId,
        String aggregateId,
        ExpectedVersion expectedVersion,
        C payload,
        Map<String, String> metadata) {

    /**
     * Validates every component.
     *
     * @param commandId identifies the command across retries: a command id that was handled before
     *     is answered with its first result's {@link CommandResult#redeliveryAnswer()} and changes nothing; not blank
     * @param aggregateId the aggregate the command is for; not blank
     * @param expectedVersion the version the aggregate must be at, see {@link ExpectedVersion}; not {@code null}
     * @param payload the domain command; not {@code null}
     * @param metadata free-form string pairs carried along (user, trace id…); copied into an
     *     unmodifiable map; {@code null} means empty; keys and values must not be {@code null}
     * @throws NullPointerException if a component other than {@code metadata} is {@code null}, or
     *     {@code metadata} holds a {@code null} key or value
     * @throws IllegalArgumentException if {@code commandId} or {@code aggregateId} is blank
     */
    public Command {
        Checks.notBlank(commandId, "commandId");
        Checks.notBlank(aggregateId, "aggregateId");
        Checks.notNull(expectedVersion, "expectedVersion");
        Checks.notNull(payload, "payload");
        if (metadata == null) {
            metadata = Map.of();
        } else {
            metadata.forEach((key, value) -> {
                Checks.notNull(key, "metadata key");
                Checks.notNull(value, "metadata[" + key + "]");
            });
            metadata = Map.copyOf(metadata);
        }
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
        return new Command<>(commandId, aggregateId, expectedVersion, payload, metadata);
    }

    /**
     * Returns a copy with another version expectation.
     *
     * @param expectedVersion the new expectation, not {@code null}
     * @return a copy of this command
     */
    public Command<C> withExpectedVersion(ExpectedVersion expectedVersion) {
        return new Command<>(commandId, aggregateId, expectedVersion, payload, metadata);
    }

    /**
     * Returns a copy with other metadata.
     *
     * @param metadata the new metadata, replacing the current one
     * @return a copy of this command
     */
    public Command<C> withMetadata(Map<String, String> metadata) {
        return new Command<>(commandId, aggregateId, expectedVersion, payload, metadata);
    }
}
