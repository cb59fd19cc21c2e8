package io.eventfold.kafka.client;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * No result arrived for a command within the gateway's timeout. The command may still be
 * handled later: send it again with the same command id to get its result exactly once, or ask
 * {@link AggregateStore#commandResult} what became of it.
 *
 * <pre>{@code
 * try {
 *     return gateway.send(command).join();
 * } catch (CompletionException e) {
 *     if (e.getCause() instanceof CommandTimeoutException timeout) {
 *         retryLater(timeout.commandId());
 *     }
 *     throw e;
 * }
 * }</pre>
 */
public class CommandTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    /** The command that got no result. */
    private final String commandId;
    /** The aggregate the command was for. */
    private final String aggregateId;

    /**
     * Creates the exception for one command.
     *
     * @param commandId the command that got no result
     * @param aggregateId the aggregate it was for
     * @param timeout how long the gateway waited
     */
    public CommandTimeoutException(String commandId, String aggregateId, Duration timeout) {
        super("no result for command " + commandId + " of aggregate " + aggregateId + " within " + timeout.toMillis() + " ms");
        this.commandId = commandId;
        this.aggregateId = aggregateId;
    }

    /**
     * The command that got no result.
     *
     * @return the command id
     */
    public String commandId() {
        return commandId;
    }

    /**
     * The aggregate the command was for.
     *
     * @return the aggregate id
     */
    public String aggregateId() {
        return aggregateId;
    }
}
