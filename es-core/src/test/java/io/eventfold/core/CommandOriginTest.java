package io.eventfold.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The manager's command ids read back: the inverse of what the engine writes, for any aggregate id. */
class CommandOriginTest {

    final ProcessManagerEngine<String, String, String> engine = new ProcessManagerEngine<>("billing", "ticket",
            ProcessManager.of("", (state, event) -> Reaction.of(state, Reaction.Send.to("a", "x"), Reaction.Send.to("b", "y"))));

    @Test
    void readsBackTheIdsTheEngineMakesEvenForAggregateIdsWithSlashes() {
        for (String aggregateId : List.of("t-1", "tenant/7/ticket/3", "result-4", "9")) {
            Event<String> event = new Event<>(aggregateId, 12, "c1", Instant.EPOCH, "opened");
            List<Command<String>> sent = engine.onEvent(engine.initial(), event).commands();
            assertThat(sent).extracting(command -> engine.originOf(command.commandId()).orElseThrow())
                    .containsExactly(new ProcessManagerEngine.CommandOrigin(aggregateId, 12, 0),
                            new ProcessManagerEngine.CommandOrigin(aggregateId, 12, 1));

            List<Command<String>> afterResult = engine.onResult(engine.initial(), aggregateId, sent.get(0),
                    new CommandResult.Rejected<>(sent.get(0).commandId(), "a", 0, new Rejection("NO", "no"))).commands();
            assertThat(afterResult).isEmpty();
        }
    }

    @Test
    void readsAReactionToAResultAsSuch() {
        assertThat(engine.originOf("billing/ticket/t-1/result-3/2")).hasValue(new ProcessManagerEngine.CommandOrigin("t-1", -1, 2));
        assertThat(engine.originOf("billing/ticket/t-1/result-3/2").orElseThrow().afterResult()).isTrue();
    }

    @Test
    void refusesIdsOfOtherManagersAndMalformedOnes() {
        assertThat(engine.originOf("c-42")).isEmpty();
        assertThat(engine.originOf("other/ticket/t-1/1/0")).isEmpty();
        assertThat(engine.originOf("billing/invoice/t-1/1/0")).isEmpty();
        assertThat(engine.originOf("billing/ticket/t-1/x/0")).isEmpty();
        assertThat(engine.originOf("billing/ticket/t-1/1/")).isEmpty();
        assertThat(engine.originOf("billing/ticket//1/0")).isEmpty();
        assertThat(engine.originOf("billing/ticket/t-1/99999999999999999999/0")).isEmpty();
    }
}
