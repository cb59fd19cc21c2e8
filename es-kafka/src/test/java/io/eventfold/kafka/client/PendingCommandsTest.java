package io.eventfold.kafka.client;

import java.util.concurrent.Future;
import java.util.List;
import java.util.ArrayList;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Rejection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PendingCommandsTest {

    private final CommandResult<String, String> result = new CommandResult.Rejected<>("c1", "a1", 0, new Rejection("NO", "no"));

    @Test
    void shouldCompleteAndForgetAWaitingCommand() {
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofSeconds(30), Runnable::run);
        CompletableFuture<CommandResult<String, String>> future = pending.register("a1", "c1").future();

        pending.complete("a1", "c1", result);

        assertThat(future).isCompletedWithValue(result);
        assertThat(pending.size()).isZero();
        assertThat(pending.isWaitingFor("a1", "c1")).isFalse();
        pending.close("done");
    }

    @Test
    void shouldForgetACommandBeforeAnyoneWokenByItsFutureLooks() {
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofSeconds(30), Runnable::run);
        CompletableFuture<CommandResult<String, String>> future = pending.register("a1", "c1").future();
        // Registered after the clean-up, so it runs before it (last registered, first run), as a
        // caller blocked in join() is woken before the other dependents finish.
        AtomicInteger seenPending = new AtomicInteger(-1);
        future.whenComplete((done, error) -> seenPending.set(pending.size()));
        CompletableFuture<CommandResult<String, String>> timedOut = pending.register("a2", "c2").future();
        AtomicInteger seenAfterFailure = new AtomicInteger(-1);
        timedOut.whenComplete((done, error) -> seenAfterFailure.set(pending.size()));

        pending.complete("a1", "c1", result);
        pending.fail("a2", "c2", new IllegalStateException("not sent"));

        assertThat(seenPending).as("pending commands seen by the caller of c1").hasValue(1);
        assertThat(seenAfterFailure).as("pending commands seen by the caller of c2").hasValue(0);
        pending.close("done");
    }

    @Test
    void shouldTimeOutWithTheIdsAndForget() {
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofMillis(50), Runnable::run);
        CompletableFuture<CommandResult<String, String>> future = pending.register("a1", "c1").future();

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
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofSeconds(30), Runnable::run);
        PendingCommands.Registration<String, String> first = pending.register("a1", "c1");

        PendingCommands.Registration<String, String> again = pending.register("a1", "c1");

        assertThat(first.isNew()).isTrue();
        assertThat(again.isNew()).isFalse();
        assertThat(again.future()).isSameAs(first.future());
        pending.close("done");
    }

    @Test
    void shouldForgetACommandWhoseCallerCancelledItAndFailTheRestOnClose() {
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofSeconds(30), Runnable::run);
        pending.register("a1", "c1").future().cancel(true);
        CompletableFuture<CommandResult<String, String>> open = pending.register("a1", "c2").future();
        assertThat(pending.size()).isEqualTo(1);

        pending.close("closed for the test");

        assertThatThrownBy(open::join).hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("closed for the test");
        assertThat(pending.size()).isZero();
    }

    @Test
    void shouldFailACommandSentAfterCloseWithoutKeepingIt() {
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofSeconds(30), Runnable::run);
        pending.close("the gateway was closed");

        PendingCommands.Registration<String, String> late = pending.register("a1", "c9");

        assertThat(late.isNew()).isFalse();
        assertThatThrownBy(late.future()::join).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the gateway was closed");
        assertThat(pending.size()).isZero();
    }

    @Test
    void shouldKeepOneCommandIdOfTwoAggregatesApart() {
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofSeconds(30), Runnable::run);
        PendingCommands.Registration<String, String> first = pending.register("a1", "c1");
        PendingCommands.Registration<String, String> second = pending.register("a2", "c1");
        CommandResult<String, String> result = new CommandResult.Rejected<>("c1", "a1", 0, new Rejection("NO", "no"));

        pending.complete("a1", "c1", result);

        assertThat(second.isNew()).isTrue();
        assertThat(first.future()).isCompletedWithValue(result);
        assertThat(second.future()).isNotDone();
        pending.close("done");
    }

    @Test
    void shouldCompleteResultsOnTheCompletionExecutor() {
        List<Runnable> queued = new ArrayList<>();
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofSeconds(30), queued::add);
        CompletableFuture<CommandResult<String, String>> future = pending.register("a1", "c1").future();

        pending.complete("a1", "c1", new CommandResult.Rejected<>("c1", "a1", 0, new Rejection("NO", "no")));

        assertThat(future).isNotDone();
        queued.forEach(Runnable::run);
        assertThat(future).isDone();
        pending.close("done");
    }

    private final CommandResult<String, String> rebuilding = new CommandResult.Failed<>("c1", "a1", 0,
            "io.eventfold.kafka.SnapshotsRebuildingException", "partition 0 of account is rebuilding; send again");

    @Test
    void shouldResendACommandRefusedWhileItsPartitionRebuildsUntilAnotherAnswer() throws InterruptedException {
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofSeconds(30), Runnable::run);
        CompletableFuture<CommandResult<String, String>> future = pending.register("a1", "c1").future();
        java.util.concurrent.LinkedBlockingQueue<String> sends = new java.util.concurrent.LinkedBlockingQueue<>();
        pending.resendWhileRebuilding("a1", "c1", () -> sends.add("sent"));

        pending.complete("a1", "c1", rebuilding);
        assertThat(future).isNotDone();
        assertThat(sends.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("sent");
        pending.complete("a1", "c1", rebuilding);
        assertThat(sends.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("sent");

        pending.complete("a1", "c1", result);
        assertThat(future).isCompletedWithValue(result);
        assertThat(pending.size()).isZero();
        pending.close("done");
    }

    @Test
    void shouldAnswerARefusalWhileRebuildingWhenNoResendIsWanted() {
        PendingCommands<String, String> pending = new PendingCommands<>(Duration.ofSeconds(30), Runnable::run);
        CompletableFuture<CommandResult<String, String>> future = pending.register("a1", "c1").future();

        pending.complete("a1", "c1", rebuilding);

        assertThat(future).isCompletedWithValue(rebuilding);
        pending.close("done");
    }
}
