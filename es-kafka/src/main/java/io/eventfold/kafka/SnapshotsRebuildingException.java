package io.eventfold.kafka;

/**
 * A partition's snapshots are being rebuilt from its events (or cannot be used by this build),
 * so a command or a query cannot be answered against its state yet; asking again later is safe.
 * Its class name is the {@code errorType} of the {@code Failed} result a command gets meanwhile.
 * Such a result is not remembered for deduplication: resend the command with the same command id
 * ({@link io.eventfold.kafka.client.CommandGateway} does so itself).
 *
 * <pre>{@code
 * if (result instanceof CommandResult.Failed<?, ?> failed
 *         && SnapshotsRebuildingException.isRebuilding(failed.errorType())) {
 *     // send again with the same command id a little later
 * }
 * }</pre>
 */
public class SnapshotsRebuildingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is being rebuilt, how far, and that asking again is safe
     */
    public SnapshotsRebuildingException(String message) {
        super(message);
    }

    /**
     * Whether an error type of a {@code Failed} result says the partition was rebuilding.
     *
     * @param errorType {@code CommandResult.Failed#errorType()}
     * @return true for this class's name
     */
    public static boolean isRebuilding(String errorType) {
        return SnapshotsRebuildingException.class.getName().equals(errorType);
    }
}
