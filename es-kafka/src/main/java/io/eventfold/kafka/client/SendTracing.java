package io.eventfold.kafka.client;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.internal.Causes;
import io.eventfold.kafka.internal.TracedWork;
import io.eventfold.kafka.internal.Tracing;

import java.util.concurrent.CompletableFuture;

/**
 * The gateway's {@link Tracing#SEND} span of a command: started in the caller's context when the
 * command is first sent, on every record of it (a resend too) through {@link TracedWork#putOn},
 * ended with the result's kind, or the failure, when the future completes.
 */
final class SendTracing {

    private SendTracing() {
    }

    /**
     * Starts the span of a command whose future was just registered.
     *
     * @return the work whose context the command's records carry
     */
    static TracedWork start(Tracing tracing, AggregateType<?, ?, ?> type, Command<?> command,
                            CompletableFuture<? extends CommandResult<?, ?>> future) {
        TracedWork send = tracing.send(type.topics().commands());
        if (send == TracedWork.NONE) {
            // Nothing to describe or end: no callback on the future of every command.
            return send;
        }
        send.attribute(Tracing.AGGREGATE_TYPE, type.name());
        send.attribute(Tracing.AGGREGATE_ID, command.aggregateId());
        send.attribute(Tracing.COMMAND_ID, command.commandId());
        future.whenComplete((result, error) -> {
            if (result != null) {
                send.attribute(Tracing.RESULT_KIND, result.kind().name());
                if (result instanceof CommandResult.Failed<?, ?> failed) {
                    send.failed(failed.errorType(), failed.message());
                }
            } else if (error != null) {
                Throwable cause = Causes.unwrap(error);
                send.failed(cause.getClass().getName(), cause.getMessage());
            }
            send.close();
        });
        return send;
    }
}
