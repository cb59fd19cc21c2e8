package io.eventfold.kafka.client;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Rejection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PendingCommandsTest {

    private final CommandResult<String, String> result = new CommandResult.Rejected<>("c1", "a1", 0, new Rejection("NO", "no"));

    @Test
    void shouldCompleteAndForgetAWaitingCommand() {
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofSeconds(30));
        CompletableFuture<CommandResult<String, String>> future = pending.register("c1", "a1").future();

        pending.complete("c1", result);

        assertThat(future).isCompletedWithValue(result);
        assertThat(pending.size()).isZero();
        assertThat(pending.isWaitingFor("c1")).isFalse();
        pending.close("done");
    }

    @Test
    void shouldTimeOutWithTheIdsAndForget() {
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofMillis(50));
        CompletableFuture<CommandResult<String, String>> future = pending.register("c1", "a1").future();

        assertThatThrownBy(future::join).cause().isInstanceOfSatisfying(CommandTimeoutException.class, timeout -> {
            assertThat(timeout.commandId()).isEqualTo("c1");
            assertThat(timeout.aggregateId()).isEqualTo("a1");
            assertThat(timeout).hasMessage("no result for command c1 of aggregate a1 within 50 ms");
        });
        assertThat(pending.size()).isZero();
        pending.close("done");
    }

    @Test
    void shouldShareTheFutureOfACommandIdStillWaiting() {
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofSeconds(30));
        PendingCommands.Registration<String, String> first = pending.register("c1", "a1");

        PendingCommands.Registration<String, String> again = pending.register("c1", "a1");

        assertThat(first.isNew()).isTrue();
        assertThat(again.isNew()).isFalse();
        assertThat(again.future()).isSameAs(first.future());
        pending.close("done");
    }

    @Test
    void shouldForgetACommandWhoseCallerCancelledItAndFailTheRestOnClose() {
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofSeconds(30));
        pending.register("c1", "a1").future().cancel(true);
        CompletableFuture<CommandResult<String, String>> open = pending.register("c2", "a1").future();
        assertThat(pending.size()).isEqualTo(1);

        pending.close("closed for the test");

        assertThatThrownBy(open::join).hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("closed for the test");
        assertThat(pending.size()).isZero();
    }

    @Test
    void shouldFailACommandSentAfterCloseWithoutKeepingIt() {
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofSeconds(30));
        pending.close("the gateway was closed");

        PendingCommands.Registration<String, String> late = pending.register("c9", "a1");

        assertThat(late.isNew()).isFalse();
        assertThatThrownBy(late.future()::join).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the gateway was closed");
        assertThat(pending.size()).isZero();
    }
}
