package io.eventfold.core;

import io.eventfold.core.ProcessManagerEngineTest.AccountCommand;
import io.eventfold.core.ProcessManagerEngineTest.Accounts;
import io.eventfold.core.ProcessManagerEngineTest.Charge;
import io.eventfold.core.ProcessManagerEngineTest.InvoiceEvent;
import io.eventfold.core.ProcessManagerEngineTest.Noted;
import io.eventfold.core.ProcessManagerEngineTest.Paid;
import io.eventfold.core.ProcessManagerEngineTest.Poison;
import io.eventfold.core.ProcessManagerEngineTest.Sent;
import io.eventfold.core.ProcessManagerEngineTest.Blank;
import io.eventfold.core.testing.Coverage;
import io.eventfold.core.testing.Gen;
import io.eventfold.core.testing.PropertyRunner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the process manager engine over random runs of events (new and replayed, of
 * several source aggregates) and results of the commands it sent, 1000 tries each.
 */
class ProcessManagerEnginePropertiesTest {

    /** One input of a run. */
    sealed interface Input {
    }

    /** An event of {@code invoice}: a step forward from its last version, or back (a replay) when {@code step <= 0}. */
    record EventInput(String invoice, int step, InvoiceEvent payload, String correlationId, Map<String, String> metadata)
            implements Input {
    }

    /** A result of the last command sent for {@code invoice}, or of a charge sent before the run. */
    record ResultInput(String invoice, CommandResult.Kind kind) implements Input {
    }

    /** What a run did with each input: the step, and the correlation id and metadata its commands must carry. */
    record Handled(Input input, ProcessManagerEngine.Step<String, AccountCommand> step, String correlationId,
                   Map<String, String> metadata, ProcessState<String> before, boolean wasReplay) {
    }

    @Test
    void everyCommandOfARunHasAnIdOfItsOwn() {
        PropertyRunner.forAll(runs()).checkWithCoverage((inputs, coverage) -> {
            Set<String> ids = new HashSet<>();
            boolean afterResult = false;
            for (Handled handled : run(inputs)) {
                for (Command<AccountCommand> command : handled.step().commands()) {
                    afterResult |= handled.input() instanceof ResultInput;
                    assertThat(ids.add(command.commandId())).as("command id %s is new", command.commandId()).isTrue();
                }
            }
            // Once per try: the share of tries in which the manager also answered a result.
            coverage.collect(afterResult ? "sent after events and results" : ids.isEmpty() ? "sent nothing" : "sent after events only");
        }).requireAtLeast("sent after events and results", 20).requireAtLeast("sent after events only", 20);
    }

    @Test
    void theSameRunGivesTheSameSteps() {
        PropertyRunner.forAll(runs()).check(inputs ->
                assertThat(run(inputs)).isEqualTo(run(inputs)));
    }

    @Test
    void everyInputMovesThePositionOnExactlyOnce() {
        Coverage kinds = PropertyRunner.forAll(runs()).checkWithCoverage((inputs, coverage) -> {
            for (Handled handled : run(inputs)) {
                ProcessManagerEngine.Step<String, AccountCommand> step = handled.step();
                ProcessState<String> before = handled.before();
                coverage.collect(handled.wasReplay() ? "replay" : step.failed() ? "failed" : "handled");
                if (handled.wasReplay()) {
                    assertThat(step.replayed()).isTrue();
                    assertThat(step.state()).isEqualTo(before);
                    assertThat(step.commands()).isEmpty();
                } else if (handled.input() instanceof ResultInput) {
                    assertThat(step.state().resultsSeen()).isEqualTo(before.resultsSeen() + 1);
                    assertThat(step.state().lastVersion()).isEqualTo(before.lastVersion());
                } else {
                    assertThat(step.state().lastVersion()).isGreaterThan(before.lastVersion());
                    assertThat(step.state().resultsSeen()).isEqualTo(before.resultsSeen());
                }
                if (step.failed()) {
                    assertThat(step.commands()).isEmpty();
                    assertThat(step.state().state()).isEqualTo(before.state());
                }
            }
        });

        kinds.requireAtLeast("replay", 5).requireAtLeast("failed", 3).requireAtLeast("handled", 30);
    }

    @Test
    void everyCommandContinuesTheChainOfWhatTriggeredIt() {
        PropertyRunner.forAll(runs()).check(inputs -> {
            for (Handled handled : run(inputs)) {
                for (Command<AccountCommand> command : handled.step().commands()) {
                    assertThat(command.correlation()).isEqualTo(handled.correlationId());
                    assertThat(command.metadata()).isEqualTo(handled.metadata());
                }
            }
        });
    }

    @Test
    void eventsHandledBeforeAreAllReplaysAfterARestartFromTheStoredPosition() {
        PropertyRunner.forAll(runs()).check(inputs -> {
            Map<String, ProcessState<String>> stored = new HashMap<>();
            List<Event<InvoiceEvent>> events = new ArrayList<>();
            ProcessManagerEngine<InvoiceEvent, String, AccountCommand> engine = newEngine();
            run(inputs, engine, stored, events);

            for (Event<InvoiceEvent> event : events) {
                ProcessManagerEngine.Step<String, AccountCommand> again = engine.onEvent(stored.get(event.aggregateId()), event);
                assertThat(again.replayed()).isTrue();
                assertThat(again.commands()).isEmpty();
            }
        });
    }

    private static ProcessManagerEngine<InvoiceEvent, String, AccountCommand> newEngine() {
        return new ProcessManagerEngine<>("invoice-accounts", "invoice", new Accounts());
    }

    private static List<Handled> run(List<Input> inputs) {
        return run(inputs, newEngine(), new HashMap<>(), new ArrayList<>());
    }

    /** Runs the inputs as the topology would: one stored position per source aggregate, results matched to sent commands. */
    private static List<Handled> run(List<Input> inputs, ProcessManagerEngine<InvoiceEvent, String, AccountCommand> engine,
                                     Map<String, ProcessState<String>> positions, List<Event<InvoiceEvent>> events) {
        Map<String, Command<AccountCommand>> lastSent = new HashMap<>();
        List<Handled> handled = new ArrayList<>();
        for (Input input : inputs) {
            if (input instanceof EventInput in) {
                ProcessState<String> before = positions.getOrDefault(in.invoice(), engine.initial());
                long version = Math.max(1, before.lastVersion() + in.step());
                Event<InvoiceEvent> event = new Event<>(in.invoice(), version, "cmd-" + in.invoice() + "-" + version,
                        ProcessManagerEngineTest.NOW, in.payload(), in.correlationId(), in.metadata());
                ProcessManagerEngine.Step<String, AccountCommand> step = engine.onEvent(before, event);
                if (!step.replayed()) {
                    events.add(event);
                }
                handled.add(new Handled(input, step, event.correlationId(), event.metadata(), before, version <= before.lastVersion()));
                positions.put(in.invoice(), step.state());
                step.commands().stream().findFirst().ifPresent(command -> lastSent.put(in.invoice(), command));
            } else {
                ResultInput in = (ResultInput) input;
                ProcessState<String> before = positions.getOrDefault(in.invoice(), engine.initial());
                Command<AccountCommand> sent = lastSent.getOrDefault(in.invoice(), new Command<>("earlier", "C-0",
                        ExpectedVersion.any(), new Charge(in.invoice(), 1), Map.of("user", "bob"), "order-0"));
                ProcessManagerEngine.Step<String, AccountCommand> step = engine.onResult(before, in.invoice(), sent, result(sent, in.kind()));
                handled.add(new Handled(input, step, sent.correlation(), sent.metadata(), before, false));
                positions.put(in.invoice(), step.state());
                step.commands().stream().findFirst().ifPresent(command -> lastSent.put(in.invoice(), command));
            }
        }
        return handled;
    }

    private static CommandResult<Object, Object> result(Command<AccountCommand> sent, CommandResult.Kind kind) {
        return switch (kind) {
            case REJECTED -> new CommandResult.Rejected<>(sent.commandId(), sent.aggregateId(), 1, new Rejection("LIMIT", "over"));
            case CONFLICT -> new CommandResult.Conflict<>(sent.commandId(), sent.aggregateId(), 1, ExpectedVersion.exactly(0));
            case FAILED -> new CommandResult.Failed<>(sent.commandId(), sent.aggregateId(), 1, "java.lang.IllegalStateException", "x");
            default -> new CommandResult.Accepted<>(sent.commandId(), sent.aggregateId(), 1, List.of(), "account");
        };
    }

    private static Gen<List<Input>> runs() {
        Gen<String> invoices = Gen.of("INV-1", "INV-2", "INV/3");
        Gen<InvoiceEvent> payloads = Gen.frequency(
                Gen.weighted(4, random -> new Sent("C-" + random.nextInt(3), 1 + random.nextInt(500))),
                Gen.weighted(3, Gen.longs(1, 500).map(Paid::new)),
                Gen.weighted(2, Gen.constant(new Noted())),
                Gen.weighted(1, Gen.constant(new Poison())),
                Gen.weighted(1, Gen.constant(new Blank())));
        Gen<Integer> steps = Gen.frequency(Gen.weighted(8, Gen.constant(1)), Gen.weighted(1, Gen.ints(2, 4)), Gen.weighted(2, Gen.ints(-3, 0)));
        Gen<String> correlations = Gen.frequency(Gen.weighted(1, Gen.<String>constant(null)), Gen.weighted(1, Gen.numeric(4).map(n -> "order-" + n)));
        Gen<Map<String, String>> metadata = Gen.oneOf(Gen.constant(Map.of()), Gen.alpha(3).map(user -> Map.of("user", user)));
        Gen<Input> event = random -> new EventInput(invoices.next(random), steps.next(random), payloads.next(random),
                correlations.next(random), metadata.next(random));
        Gen<Input> result = random -> new ResultInput(invoices.next(random), Gen.of(CommandResult.Kind.values()).next(random));
        return Gen.frequency(Gen.weighted(4, event), Gen.weighted(1, result)).list(0, 30);
    }
}
