package io.eventfold.core;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessManagerEngineTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    /** Events of an invoice, the source aggregate type. */
    sealed interface InvoiceEvent {
    }

    record Sent(String customer, long total) implements InvoiceEvent {
    }

    record Paid(long amount) implements InvoiceEvent {
    }

    record Noted() implements InvoiceEvent {
    }

    /** Makes the manager throw. */
    record Poison() implements InvoiceEvent {
    }

    /** Makes the manager return null. */
    record Blank() implements InvoiceEvent {
    }

    /** Commands of a customer account, the target aggregate type. */
    sealed interface AccountCommand {
    }

    record Charge(String invoice, long amount) implements AccountCommand {
    }

    record Credit(String invoice, long amount) implements AccountCommand {
    }

    record Alert(String invoice, String why) implements AccountCommand {
    }

    /**
     * Charges the customer of a sent invoice and credits a payment; learns the customer from
     * Sent. A rejected charge raises an alert; a failed one throws.
     */
    static final class Accounts implements ProcessManager<InvoiceEvent, String, AccountCommand> {

        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String initialState() {
            return "";
        }

        @Override
        public Reaction<String, AccountCommand> react(String customer, Event<InvoiceEvent> event) {
            calls.incrementAndGet();
            InvoiceEvent payload = event.payload();
            if (payload instanceof Sent sent) {
                return Reaction.<String, AccountCommand>of(sent.customer())
                        .send(sent.customer(), new Charge(event.aggregateId(), sent.total()))
                        .send(sent.customer(), new Alert(event.aggregateId(), "sent"), ExpectedVersion.exactly(4));
            }
            if (payload instanceof Paid paid) {
                return Reaction.<String, AccountCommand>of(customer).send(customer, new Credit(event.aggregateId(), paid.amount()));
            }
            if (payload instanceof Poison) {
                throw new IllegalStateException("no account for " + event.aggregateId());
            }
            if (payload instanceof Blank) {
                return null;
            }
            return Reaction.of(customer);
        }

        @Override
        public Reaction<String, AccountCommand> onResult(String customer, Command<AccountCommand> sent, CommandResult<?, ?> result) {
            calls.incrementAndGet();
            if (result instanceof CommandResult.Rejected<?, ?> rejected && sent.payload() instanceof Charge charge) {
                return Reaction.<String, AccountCommand>of(customer + "!")
                        .send(customer, new Alert(charge.invoice(), rejected.rejection().code()));
            }
            if (result instanceof CommandResult.Failed<?, ?>) {
                throw new IllegalArgumentException("cannot handle " + sent.commandId());
            }
            if (result instanceof CommandResult.Conflict<?, ?>) {
                return null;
            }
            return Reaction.of(customer);
        }
    }

    private final Accounts manager = new Accounts();
    private final ProcessManagerEngine<InvoiceEvent, String, AccountCommand> engine =
            new ProcessManagerEngine<>("invoice-accounts", "invoice", manager);

    static Event<InvoiceEvent> event(String invoice, long version, InvoiceEvent payload) {
        return new Event<>(invoice, version, "cmd-" + version, NOW, payload);
    }

    private ProcessState<String> at(long lastVersion, long resultsSeen, String customer) {
        return new ProcessState<>(lastVersion, resultsSeen, customer);
    }

    @Nested
    class OnAnEvent {

        @Test
        void shouldNameEachCommandAfterTheManagerTheSourceAndTheEventsVersionAndIndex() {
            ProcessManagerEngine.Step<String, AccountCommand> step = engine.onEvent(engine.initial(), event("INV-7", 1, new Sent("C-1", 300)));

            assertThat(step.commands()).extracting(Command::commandId)
                    .containsExactly("invoice-accounts/invoice/INV-7/1/0", "invoice-accounts/invoice/INV-7/1/1");
            assertThat(step.commands()).extracting(Command::aggregateId).containsExactly("C-1", "C-1");
            assertThat(step.commands()).extracting(Command::payload)
                    .containsExactly(new Charge("INV-7", 300), new Alert("INV-7", "sent"));
            assertThat(step.commands()).extracting(Command::expectedVersion)
                    .containsExactly(ExpectedVersion.any(), ExpectedVersion.exactly(4));
            assertThat(step.state()).isEqualTo(at(1, 0, "C-1"));
            assertThat(step.replayed()).isFalse();
            assertThat(step.failed()).isFalse();
            assertThat(step.errorType()).isNull();
            assertThat(step.message()).isNull();
        }

        @Test
        void shouldCarryTheEventsCorrelationIdAndMetadata() {
            Event<InvoiceEvent> paid = new Event<>("INV-7", 4, "cmd-4", NOW, new Paid(300), "order-9", Map.of("user", "alice"));

            ProcessManagerEngine.Step<String, AccountCommand> step = engine.onEvent(at(3, 0, "C-1"), paid);

            assertThat(step.commands()).containsExactly(new Command<>("invoice-accounts/invoice/INV-7/4/0", "C-1",
                    ExpectedVersion.any(), new Credit("INV-7", 300), Map.of("user", "alice"), "order-9"));
        }

        @Test
        void shouldContinueTheChainOfAnEventWhoseCommandStartedIt() {
            ProcessManagerEngine.Step<String, AccountCommand> step = engine.onEvent(at(3, 0, "C-1"), event("INV-7", 4, new Paid(1)));

            assertThat(step.commands().get(0).correlationId()).isEqualTo("cmd-4");
        }

        @Test
        void shouldGiveTheSameIdsForTheSameInput() {
            Event<InvoiceEvent> sent = event("INV-7", 2, new Sent("C-1", 300));
            ProcessManagerEngine<InvoiceEvent, String, AccountCommand> another =
                    new ProcessManagerEngine<>("invoice-accounts", "invoice", new Accounts());

            assertThat(another.onEvent(at(1, 5, ""), sent)).isEqualTo(engine.onEvent(at(1, 5, ""), sent));
        }

        @Test
        void shouldGiveOtherIdsToAnotherManagerSourceAggregateOrVersion() {
            ProcessManagerEngine<InvoiceEvent, String, AccountCommand> other = new ProcessManagerEngine<>("reminders", "invoice", manager);
            ProcessManagerEngine<InvoiceEvent, String, AccountCommand> otherSource = new ProcessManagerEngine<>("invoice-accounts", "order", manager);

            assertThat(List.of(
                    engine.onEvent(at(1, 0, ""), event("INV-7", 2, new Sent("C-1", 1))).commands().get(0).commandId(),
                    engine.onEvent(at(1, 0, ""), event("INV-8", 2, new Sent("C-1", 1))).commands().get(0).commandId(),
                    engine.onEvent(at(1, 0, ""), event("INV-7", 3, new Sent("C-1", 1))).commands().get(0).commandId(),
                    other.onEvent(at(1, 0, ""), event("INV-7", 2, new Sent("C-1", 1))).commands().get(0).commandId(),
                    otherSource.onEvent(at(1, 0, ""), event("INV-7", 2, new Sent("C-1", 1))).commands().get(0).commandId()))
                    .doesNotHaveDuplicates();
        }

        @Test
        void shouldPassOverAReplayedEventWithoutAskingTheManager() {
            ProcessState<String> current = at(4, 2, "C-1");

            ProcessManagerEngine.Step<String, AccountCommand> atLast = engine.onEvent(current, event("INV-7", 4, new Sent("C-2", 1)));
            ProcessManagerEngine.Step<String, AccountCommand> below = engine.onEvent(current, event("INV-7", 1, new Sent("C-2", 1)));

            for (ProcessManagerEngine.Step<String, AccountCommand> step : List.of(atLast, below)) {
                assertThat(step.replayed()).isTrue();
                assertThat(step.commands()).isEmpty();
                assertThat(step.state()).isSameAs(current);
                assertThat(step.failed()).isFalse();
            }
            assertThat(manager.calls).hasValue(0);
        }

        @Test
        void shouldHandleTheEventAfterTheLastEvenAcrossAGap() {
            ProcessManagerEngine.Step<String, AccountCommand> step = engine.onEvent(at(4, 0, "C-1"), event("INV-7", 9, new Noted()));

            assertThat(step.replayed()).isFalse();
            assertThat(step.state()).isEqualTo(at(9, 0, "C-1"));
        }

        @Test
        void shouldReportAThrowingManagerAndCountTheEventAsHandled() {
            ProcessState<String> current = at(2, 1, "C-1");

            ProcessManagerEngine.Step<String, AccountCommand> step = engine.onEvent(current, event("INV-7", 3, new Poison()));

            assertThat(step.failed()).isTrue();
            assertThat(step.errorType()).isEqualTo(IllegalStateException.class.getName());
            assertThat(step.message()).isEqualTo("no account for INV-7");
            assertThat(step.commands()).isEmpty();
            assertThat(step.replayed()).isFalse();
            assertThat(step.state()).isEqualTo(at(3, 1, "C-1"));
            // The next event is handled as usual; the failed one is not asked about again.
            assertThat(engine.onEvent(step.state(), event("INV-7", 3, new Poison())).replayed()).isTrue();
            assertThat(engine.onEvent(step.state(), event("INV-7", 4, new Paid(5))).commands()).hasSize(1);
        }

        @Test
        void shouldReportAManagerThatReturnsNullAsANullPointerException() {
            ProcessManagerEngine.Step<String, AccountCommand> step = engine.onEvent(at(0, 0, "C-1"), event("INV-7", 1, new Blank()));

            assertThat(step.failed()).isTrue();
            assertThat(step.errorType()).isEqualTo(NullPointerException.class.getName());
            assertThat(step.message()).isEqualTo("Accounts.react returned null");
            assertThat(step.state()).isEqualTo(at(1, 0, "C-1"));
            assertThat(step.commands()).isEmpty();
        }

        @Test
        void shouldNameALambdaManagerThatReturnsNull() {
            ProcessManager<InvoiceEvent, String, AccountCommand> lambda = ProcessManager.of("", (state, event) -> null);

            ProcessManagerEngine.Step<String, AccountCommand> step = new ProcessManagerEngine<>("pm", "invoice", lambda)
                    .onEvent(ProcessState.initial(lambda), event("INV-7", 1, new Noted()));

            assertThat(step.message()).isEqualTo("ProcessManager.react returned null");
        }
    }

    @Nested
    class OnAResult {

        private final Command<AccountCommand> charge = new Command<>("invoice-accounts/invoice/INV-7/1/0", "C-1",
                ExpectedVersion.any(), new Charge("INV-7", 300), Map.of("user", "alice"), "order-9");

        private CommandResult<Object, Object> rejected(String code) {
            return new CommandResult.Rejected<>(charge.commandId(), "C-1", 2, new Rejection(code, "no"));
        }

        @Test
        void shouldNameEachCommandAfterTheCountOfResultsHandled() {
            ProcessManagerEngine.Step<String, AccountCommand> first = engine.onResult(at(1, 0, "C-1"), "INV-7", charge, rejected("LIMIT"));
            ProcessManagerEngine.Step<String, AccountCommand> second = engine.onResult(first.state(), "INV-7", charge, rejected("BLOCKED"));

            assertThat(first.commands()).extracting(Command::commandId).containsExactly("invoice-accounts/invoice/INV-7/result-1/0");
            assertThat(second.commands()).extracting(Command::commandId).containsExactly("invoice-accounts/invoice/INV-7/result-2/0");
            assertThat(second.commands()).extracting(Command::payload).containsExactly(new Alert("INV-7", "BLOCKED"));
            assertThat(first.state()).isEqualTo(at(1, 1, "C-1!"));
            assertThat(second.state()).isEqualTo(at(1, 2, "C-1!!"));
        }

        @Test
        void shouldTakeARejectionAsAnInput() {
            ProcessManagerEngine.Step<String, AccountCommand> step = engine.onResult(at(1, 0, "C-1"), "INV-7", charge, rejected("LIMIT"));

            assertThat(step.failed()).isFalse();
            assertThat(step.replayed()).isFalse();
            assertThat(step.commands()).hasSize(1);
        }

        @Test
        void shouldCarryTheCorrelationIdAndMetadataOfTheSentCommand() {
            ProcessManagerEngine.Step<String, AccountCommand> step = engine.onResult(at(1, 0, "C-1"), "INV-7", charge, rejected("LIMIT"));

            assertThat(step.commands()).containsExactly(new Command<>("invoice-accounts/invoice/INV-7/result-1/0", "C-1",
                    ExpectedVersion.any(), new Alert("INV-7", "LIMIT"), Map.of("user", "alice"), "order-9"));
        }

        @Test
        void shouldContinueTheChainOfASentCommandThatStartedIt() {
            Command<AccountCommand> own = charge.withCorrelationId(null);

            ProcessManagerEngine.Step<String, AccountCommand> step = engine.onResult(at(1, 0, "C-1"), "INV-7", own, rejected("LIMIT"));

            assertThat(step.commands().get(0).correlationId()).isEqualTo(charge.commandId());
        }

        @Test
        void shouldCountAResultThatChangesNothing() {
            CommandResult<Object, Object> accepted = new CommandResult.Accepted<>(charge.commandId(), "C-1", 3, List.of(), "account");

            ProcessManagerEngine.Step<String, AccountCommand> step = engine.onResult(at(1, 4, "C-1"), "INV-7", charge, accepted);

            assertThat(step.commands()).isEmpty();
            assertThat(step.state()).isEqualTo(at(1, 5, "C-1"));
        }

        @Test
        void shouldCountAResultOfTheDefaultOnResult() {
            ProcessManager<InvoiceEvent, String, AccountCommand> eventsOnly = ProcessManager.of("s", (state, event) -> Reaction.of(state));
            ProcessManagerEngine<InvoiceEvent, String, AccountCommand> plain = new ProcessManagerEngine<>("pm", "invoice", eventsOnly);

            ProcessManagerEngine.Step<String, AccountCommand> step = plain.onResult(at(2, 0, "s"), "INV-7", charge, rejected("LIMIT"));

            assertThat(step.state()).isEqualTo(at(2, 1, "s"));
            assertThat(step.commands()).isEmpty();
            assertThat(step.failed()).isFalse();
        }

        @Test
        void shouldReportAThrowingManagerAndCountTheResultAsHandled() {
            CommandResult<Object, Object> failed = new CommandResult.Failed<>(charge.commandId(), "C-1", 2, "java.lang.Error", "x");

            ProcessManagerEngine.Step<String, AccountCommand> step = engine.onResult(at(3, 1, "C-1"), "INV-7", charge, failed);

            assertThat(step.failed()).isTrue();
            assertThat(step.errorType()).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(step.message()).isEqualTo("cannot handle " + charge.commandId());
            assertThat(step.commands()).isEmpty();
            assertThat(step.state()).isEqualTo(at(3, 2, "C-1"));
        }

        @Test
        void shouldReportAManagerThatReturnsNull() {
            CommandResult<Object, Object> conflict = new CommandResult.Conflict<>(charge.commandId(), "C-1", 2, ExpectedVersion.exactly(1));

            ProcessManagerEngine.Step<String, AccountCommand> step = engine.onResult(at(3, 0, "C-1"), "INV-7", charge, conflict);

            assertThat(step.errorType()).isEqualTo(NullPointerException.class.getName());
            assertThat(step.message()).isEqualTo("Accounts.onResult returned null");
            assertThat(step.state()).isEqualTo(at(3, 1, "C-1"));
        }

        @Test
        void shouldGiveTheSameStepForTheSameInput() {
            assertThat(engine.onResult(at(1, 3, "C-1"), "INV-7", charge, rejected("LIMIT")))
                    .isEqualTo(new ProcessManagerEngine<>("invoice-accounts", "invoice", new Accounts())
                            .onResult(at(1, 3, "C-1"), "INV-7", charge, rejected("LIMIT")));
        }
    }

    @Nested
    class Arguments {

        @Test
        void shouldRefuseMissingParts() {
            assertThatThrownBy(() -> new ProcessManagerEngine<>(" ", "invoice", manager)).hasMessage("name must not be blank");
            assertThatThrownBy(() -> new ProcessManagerEngine<>("pm", "", manager)).hasMessage("sourceType must not be blank");
            assertThatThrownBy(() -> new ProcessManagerEngine<>("pm", "invoice", null)).hasMessage("manager must not be null");
            assertThatThrownBy(() -> ProcessManager.of(null, (state, event) -> null)).hasMessage("initialState must not be null");
        }

        @Test
        void shouldRefuseABadReaction() {
            assertThatThrownBy(() -> Reaction.of(null)).hasMessage("state must not be null");
            assertThatThrownBy(() -> Reaction.of("s").send(" ", new Charge("INV-7", 1))).hasMessage("aggregateId must not be blank");
            assertThatThrownBy(() -> Reaction.of("s").send("C-1", null)).hasMessage("payload must not be null");
            assertThatThrownBy(() -> Reaction.of("s").send("C-1", "x", null)).hasMessage("expectedVersion must not be null");
        }

        @Test
        void shouldRefuseNegativeCounts() {
            assertThatThrownBy(() -> new ProcessState<>(-1, 0, "s")).hasMessage("lastVersion must be >= 0 but was -1");
            assertThatThrownBy(() -> new ProcessState<>(0, -1, "s")).hasMessage("resultsSeen must be >= 0 but was -1");
        }

        @Test
        void shouldRefuseAManagerWithoutInitialState() {
            ProcessManager<InvoiceEvent, String, AccountCommand> stateless = new ProcessManager<>() {
                @Override
                public String initialState() {
                    return null;
                }

                @Override
                public Reaction<String, AccountCommand> react(String state, Event<InvoiceEvent> event) {
                    return Reaction.of(state);
                }
            };

            assertThatThrownBy(() -> ProcessState.initial(stateless)).isInstanceOf(NullPointerException.class)
                    .hasMessage("initialState() must not be null");
        }

        @Test
        void shouldStartAtVersionZeroWithTheInitialState() {
            assertThat(engine.initial()).isEqualTo(new ProcessState<>(0, 0, ""));
            assertThat(engine.manager()).isSameAs(manager);
        }
    }
}
