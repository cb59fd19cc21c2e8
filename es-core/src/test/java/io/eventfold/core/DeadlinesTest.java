package io.eventfold.core;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The deadline part of {@link Decision}, {@link Outcome} and {@link CommandEngine}. */
class DeadlinesTest {

    private static final String INVOICE = "INV-7";
    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");
    private static final Instant DUE = Instant.parse("2026-12-22T00:00:00Z");

    /** A command that says exactly what its decision is: these events, these deadline changes. */
    record Script(List<String> events, List<DeadlineChange> changes, String rejectWith) {
        Script(List<String> events, List<DeadlineChange> changes) {
            this(events, changes, null);
        }
    }

    /** The command a deadline fires. */
    record Remind(String why) {
    }

    /** Its state is the events it recorded; the event "boom" cannot be applied. */
    static final Aggregate<Object, String, List<String>> SCRIPTED = Aggregate.of(List.of(), (command, state) -> {
        if (!(command instanceof Script script)) {
            return Decision.accept();
        }
        if (script.rejectWith() != null) {
            return Decision.reject(script.rejectWith(), "scripted");
        }
        return new Decision.Accepted<>(script.events(), script.changes());
    }, (state, event) -> {
        if (event.equals("boom")) {
            throw new IllegalArgumentException("cannot apply boom");
        }
        List<String> next = new ArrayList<>(state);
        next.add(event);
        return List.copyOf(next);
    });

    private final CommandEngine<Object, String, List<String>> engine = CommandEngine.of(SCRIPTED);

    private static DeadlineChange schedule(String id) {
        return new DeadlineChange.Schedule(id, DUE, new Remind(id));
    }

    private static DeadlineChange cancel(String id) {
        return new DeadlineChange.Cancel(id);
    }

    private Snapshot<List<String>> atVersion(long version) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < version; i++) {
            events.add("e" + (i + 1));
        }
        return new Snapshot<>(INVOICE, version, List.copyOf(events));
    }

    private static Command<Object> command(String id, Object payload) {
        return new Command<>(id, INVOICE, ExpectedVersion.any(), payload, Map.of());
    }

    @Nested
    class TheDecision {

        @Test
        void shouldListScheduleAndCancelInTheOrderTheyWereMade() {
            Decision.Accepted<String> decision = Decision
                    .schedule("overdue", DUE, new Remind("overdue"))
                    .cancel("draft-expiry")
                    .schedule("reminder", DUE.minusSeconds(60), new Remind("reminder"))
                    .accept("sent");

            assertThat(decision.events()).containsExactly("sent");
            assertThat(decision.deadlines()).containsExactly(
                    new DeadlineChange.Schedule("overdue", DUE, new Remind("overdue")),
                    new DeadlineChange.Cancel("draft-expiry"),
                    new DeadlineChange.Schedule("reminder", DUE.minusSeconds(60), new Remind("reminder")));
        }

        @Test
        void shouldLeaveTheChangesItStartedFromUnchanged() {
            Decision.WithDeadlines overdue = Decision.schedule("overdue", DUE, new Remind("overdue"));

            Decision.WithDeadlines more = overdue.cancel("reminder");

            assertThat(overdue.accept("sent").deadlines()).hasSize(1);
            assertThat(more.accept("sent").deadlines()).hasSize(2);
            assertThat(Decision.accept("sent").deadlines()).isEmpty();
        }

        @Test
        void shouldKeepTheDeadlinesUnmodifiable() {
            Decision.Accepted<String> decision = Decision.cancel("overdue").accept("sent");

            assertThatThrownBy(() -> decision.deadlines().add(cancel("other"))).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void shouldRefuseANullChange() {
            List<DeadlineChange> changes = new ArrayList<>();
            changes.add(null);

            assertThatThrownBy(() -> new Decision.Accepted<>(List.of("sent"), changes))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("deadlines[0] must not be null");
        }

        @Test
        void shouldRefuseAScheduleWithoutTimeOrCommand() {
            assertThatThrownBy(() -> Decision.schedule("overdue", null, new Remind("x")))
                    .isInstanceOf(NullPointerException.class).hasMessage("dueAt must not be null");
            assertThatThrownBy(() -> Decision.schedule("overdue", DUE, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("command must not be null");
        }
    }

    @Nested
    class DeadlineIds {

        @ParameterizedTest
        @ValueSource(strings = {"a", "Z", "7", "overdue", "reminder-1", "pay.by_2026-12-22", "0.-_",
                "x123456789012345678901234567890123456789012345678901234567890123"})
        void shouldAcceptUpTo64LettersDigitsDotsDashesAndUnderscoresStartingWithALetterOrDigit(String id) {
            assertThat(new DeadlineChange.Cancel(id).deadlineId()).isEqualTo(id);
            assertThat(new DeadlineChange.Schedule(id, DUE, new Remind(id)).deadlineId()).isEqualTo(id);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "-late", ".late", "_late", "over due", "over/due", "over:due", "überfällig",
                "over\ndue", "x1234567890123456789012345678901234567890123456789012345678901234"})
        void shouldRefuseAnyOtherId(String id) {
            assertThatThrownBy(() -> new DeadlineChange.Cancel(id))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("deadlineId must be 1 to 64 characters of [A-Za-z0-9._-] starting with a letter or digit, but was '");
            assertThatThrownBy(() -> Decision.schedule(id, DUE, new Remind(id)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void shouldNameTheIdItRefuses() {
            assertThatThrownBy(() -> Decision.cancel("over/due"))
                    .hasMessage("deadlineId must be 1 to 64 characters of [A-Za-z0-9._-] starting with a letter or digit, but was 'over/due'");
        }

        @Test
        void shouldRefuseANullId() {
            assertThatThrownBy(() -> new DeadlineChange.Cancel(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("deadlineId must not be null");
            assertThatThrownBy(() -> new DeadlineChange.Schedule(null, DUE, new Remind("x")))
                    .isInstanceOf(NullPointerException.class).hasMessage("deadlineId must not be null");
        }

        @Test
        void shouldMakeAnInvalidIdInDecideAFailedResult() {
            CommandEngine<Object, String, List<String>> badIds = CommandEngine.of(Aggregate.of(List.of(),
                    (command, state) -> Decision.schedule("due date", DUE, new Remind("x")).accept("sent"),
                    (state, event) -> state));

            Outcome<String, List<String>> outcome = badIds.handle(atVersion(0), command("c1", "go"), NOW);

            assertThat(outcome.result()).isInstanceOfSatisfying(CommandResult.Failed.class, failed -> {
                assertThat(failed.errorType()).isEqualTo(IllegalArgumentException.class.getName());
                assertThat(failed.message()).contains("'due date'");
            });
            assertThat(outcome.deadlines()).isEmpty();
            assertThat(outcome.events()).isEmpty();
        }
    }

    @Nested
    class TheEngine {

        @Test
        void shouldPassTheChangesOnInOrderWithTheEvents() {
            List<DeadlineChange> changes = List.of(schedule("overdue"), cancel("draft-expiry"), schedule("overdue"), cancel("x"));

            Outcome<String, List<String>> outcome = engine.handle(atVersion(2), command("c1", new Script(List.of("sent"), changes)), NOW);

            assertThat(outcome.result()).isInstanceOf(CommandResult.Accepted.class);
            assertThat(outcome.deadlines()).isEqualTo(changes);
            assertThat(outcome.events()).extracting(Event::version).containsExactly(3L);
            assertThat(outcome.snapshot().version()).isEqualTo(3);
        }

        @Test
        void shouldPassNoChangesForADecisionWithoutAny() {
            Outcome<String, List<String>> outcome = engine.handle(atVersion(0), command("c1", new Script(List.of("a", "b"), List.of())), NOW);

            assertThat(outcome.deadlines()).isEmpty();
            assertThat(outcome.events()).hasSize(2);
        }

        @Test
        void shouldFailADecisionThatChangesADeadlineWithoutAnEventAndChangeNothing() {
            Snapshot<List<String>> before = atVersion(2);

            Outcome<String, List<String>> outcome = engine.handle(before,
                    command("c1", new Script(List.of(), List.of(cancel("overdue"), schedule("reminder")))), NOW);

            assertThat(outcome.result()).isEqualTo(new CommandResult.Failed<>("c1", INVOICE, 2, IllegalStateException.class.getName(),
                    "Aggregate.decide changed deadline 'overdue' but recorded no event for Script: "
                            + "a deadline change needs an event that says why"));
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.deadlines()).isEmpty();
            assertThat(outcome.snapshot()).isSameAs(before);
            assertThat(outcome.changed()).isFalse();
        }

        @Test
        void shouldFailAScheduleWithoutAnEventToo() {
            Outcome<String, List<String>> outcome = engine.handle(atVersion(0),
                    command("c1", new Script(List.of(), List.of(schedule("overdue")))), NOW);

            assertThat(outcome.result()).isInstanceOfSatisfying(CommandResult.Failed.class,
                    failed -> assertThat(failed.errorType()).isEqualTo(IllegalStateException.class.getName()));
            assertThat(outcome.deadlines()).isEmpty();
        }

        @Test
        void shouldDropTheChangesOfADecisionWhoseEventCannotBeApplied() {
            Snapshot<List<String>> before = atVersion(1);

            Outcome<String, List<String>> outcome = engine.handle(before,
                    command("c1", new Script(List.of("ok", "boom"), List.of(schedule("overdue")))), NOW);

            assertThat(outcome.result()).isInstanceOfSatisfying(CommandResult.Failed.class,
                    failed -> assertThat(failed.errorType()).isEqualTo(IllegalArgumentException.class.getName()));
            assertThat(outcome.deadlines()).isEmpty();
            assertThat(outcome.snapshot()).isSameAs(before);
        }

        @Test
        void shouldChangeNoDeadlineForARejectionOrAConflict() {
            Outcome<String, List<String>> rejected = engine.handle(atVersion(1),
                    command("c1", new Script(List.of("sent"), List.of(schedule("overdue")), "NOT_NOW")), NOW);
            Outcome<String, List<String>> conflict = engine.handle(atVersion(1), new Command<>("c2", INVOICE,
                    ExpectedVersion.exactly(5), new Script(List.of("sent"), List.of(schedule("overdue"))), Map.of()), NOW);

            assertThat(rejected.result().kind()).isEqualTo(CommandResult.Kind.REJECTED);
            assertThat(rejected.deadlines()).isEmpty();
            assertThat(conflict.result().kind()).isEqualTo(CommandResult.Kind.CONFLICT);
            assertThat(conflict.deadlines()).isEmpty();
        }
    }

    @Nested
    class TheOutcome {

        @Test
        void shouldRefuseDeadlineChangesWithoutEvents() {
            Snapshot<List<String>> snapshot = atVersion(1);
            CommandResult<String, List<String>> result = new CommandResult.Accepted<>("c1", INVOICE, 1, List.of(), snapshot.state());

            assertThatThrownBy(() -> new Outcome<>(result, List.of(), snapshot, List.of(cancel("overdue"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("deadline changes need events: the event log says why a deadline exists");
        }

        @Test
        void shouldHaveNoDeadlineChangesUnlessGiven() {
            Snapshot<List<String>> snapshot = atVersion(1);
            CommandResult<String, List<String>> result = new CommandResult.Accepted<>("c1", INVOICE, 1, List.of(), snapshot.state());

            assertThat(new Outcome<>(result, List.of(), snapshot).deadlines()).isEmpty();
        }
    }

    @Nested
    class TheFiredCommand {

        @Test
        void shouldBeNamedAfterTheAggregateTheDeadlineAndTheVersionOfTheSchedulingDecision() {
            assertThat(DeadlineChange.Schedule.commandId("INV-7", "overdue", 3)).isEqualTo("INV-7/deadline/overdue/3");
        }

        @Test
        void shouldCarryTheSchedulingCommandsCorrelationAndTheMetadataItsEventsKept() {
            CommandEngine<Object, String, List<String>> keepingUser = CommandEngine.of(SCRIPTED, MetadataPolicy.only("user"));
            Command<Object> scheduling = new Command<>("c1", INVOICE, ExpectedVersion.any(),
                    new Script(List.of("sent", "noted"), List.of(schedule("overdue"))), Map.of("user", "alice", "token", "secret"),
                    "order-7");

            Outcome<String, List<String>> outcome = keepingUser.handle(atVersion(4), scheduling, NOW);
            Event<String> last = outcome.events().get(outcome.events().size() - 1);
            DeadlineChange.Schedule overdue = (DeadlineChange.Schedule) outcome.deadlines().get(0);
            Command<Remind> fired = overdue.toCommand(INVOICE, outcome.snapshot().version(), last.correlationId(), last.metadata());

            assertThat(fired).isEqualTo(new Command<>("INV-7/deadline/overdue/6", INVOICE, ExpectedVersion.any(),
                    new Remind("overdue"), Map.of("user", "alice"), "order-7"));
        }

        @Test
        void shouldContinueTheChainOfASchedulingCommandThatStartedItsOwn() {
            Outcome<String, List<String>> outcome = engine.handle(atVersion(0),
                    command("c1", new Script(List.of("sent"), List.of(schedule("overdue")))), NOW);
            Event<String> event = outcome.events().get(0);

            Command<Remind> fired = ((DeadlineChange.Schedule) outcome.deadlines().get(0))
                    .toCommand(INVOICE, event.version(), event.correlationId(), event.metadata());

            assertThat(fired.correlationId()).isEqualTo("c1");
            assertThat(fired.correlation()).isEqualTo("c1");
            assertThat(fired.metadata()).isEmpty();
        }

        @Test
        void shouldBeTheSameCommandEveryTime() {
            DeadlineChange.Schedule overdue = new DeadlineChange.Schedule("overdue", DUE, new Remind("overdue"));

            assertThat(overdue.<Remind>toCommand(INVOICE, 3, "c1", Map.of("user", "alice")))
                    .isEqualTo(overdue.<Remind>toCommand(INVOICE, 3, "c1", Map.of("user", "alice")));
        }

        @Test
        void shouldDifferForTheSameDeadlineScheduledByALaterDecision() {
            DeadlineChange.Schedule overdue = new DeadlineChange.Schedule("overdue", DUE, new Remind("overdue"));

            assertThat(overdue.<Remind>toCommand(INVOICE, 3, "c1", Map.of()).commandId())
                    .isNotEqualTo(overdue.<Remind>toCommand(INVOICE, 5, "c2", Map.of()).commandId());
        }
    }
}
