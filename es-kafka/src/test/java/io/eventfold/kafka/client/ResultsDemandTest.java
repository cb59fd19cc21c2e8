package io.eventfold.kafka.client;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsDemandTest {

    private static final PendingCommands.CommandKey FIRST = new PendingCommands.CommandKey("acc-1", "c1");
    private static final PendingCommands.CommandKey SECOND = new PendingCommands.CommandKey("acc-1", "c2");

    @Test
    void shouldLetACommandBeSentOnlyOnceTheListenerReadsFromTheEndAgain() throws InterruptedException {
        ResultsDemand demand = ResultsDemand.onDemand();
        assertThat(demand.awaitWanted(1)).isFalse();

        CompletableFuture<Void> first = demand.require(FIRST);

        assertThat(first).isNotDone();
        assertThat(demand.awaitWanted(1)).isTrue();
        assertThat(demand.mustStart()).isTrue();
        demand.startedReading();
        assertThat(first).isCompleted();
        // While it reads, another command need not wait.
        assertThat(demand.require(SECOND)).isCompleted();
        assertThat(demand.mustStart()).isFalse();

        demand.release(FIRST);
        demand.release(SECOND);
        assertThat(demand.awaitWanted(1)).isFalse();
        // Stopped: the next command waits for a new start from the end.
        assertThat(demand.require(FIRST)).isNotDone();
        assertThat(demand.mustStart()).isTrue();
    }

    @Test
    void shouldReadAllTheTimeWithoutReplyRouting() throws InterruptedException {
        ResultsDemand demand = ResultsDemand.permanent();

        assertThat(demand.awaitWanted(1)).isTrue();
        assertThat(demand.mustStart()).isFalse();
    }

    @Test
    void shouldFailAWaitingCommandOnClose() {
        ResultsDemand demand = ResultsDemand.onDemand();
        CompletableFuture<Void> waiting = demand.require(FIRST);

        demand.close();

        assertThat(waiting).isCompletedExceptionally();
    }
}
