package io.eventfold.core;

/**
 * A command's metadata is beyond the {@link CommandMetadata} limits. It is the error type of the
 * {@code Failed} result such a command gets; nothing of the command is recorded.
 *
 * <pre>{@code
 * if (result instanceof CommandResult.Failed<?, ?> failed
 *         && failed.errorType().equals(InvalidMetadataException.class.getName())) {
 *     // tell the sender which key or size was refused: failed.message()
 * }
 * }</pre>
 */
public final class InvalidMetadataException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the rule broken, naming the key
     */
    public InvalidMetadataException(String message) {
        super(message);
    }
}
