package io.eventfold.kafka.internal.metrics;

import io.eventfold.core.CommandResult;
import io.eventfold.kafka.client.CommandTimeoutException;
import io.eventfold.kafka.internal.Causes;


/** How a gateway's command ended, as the {@code outcome} tag says it. */
public final class GatewayOutcomes {

    /** No result within the gateway's timeout. */
    public static final String TIMEOUT = "timeout";
    /** The send failed, or the gateway closed first. */
    public static final String ERROR = "error";

    private GatewayOutcomes() {
    }

    /**
     * The outcome of a command's future.
     *
     * @param result its result, or null
     * @param error its failure, or null
     * @return a result kind in lower case, {@link #TIMEOUT} or {@link #ERROR}
     */
    public static String of(CommandResult<?, ?> result, Throwable error) {
        if (result != null) {
            return MeterNames.tagValue(result.kind());
        }
        return Causes.unwrap(error) instanceof CommandTimeoutException ? TIMEOUT : ERROR;
    }
}
