package io.eventfold.core;

import io.eventfold.core.DeadlinesTest.Remind;
import io.eventfold.core.DeadlinesTest.Script;
import io.eventfold.core.testing.Coverage;
import io.eventfold.core.testing.Gen;
import io.eventfold.core.testing.PropertyRunner;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties of the deadline changes a decision makes, under random decisions, 1000 tries each. */
class DeadlinePropertiesTest {

    private static final String INVOICE = "INV-7";
    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    private final CommandEngine<Object, String, List<String>> engine = CommandEngine.of(DeadlinesTest.SCRIPTED);

    @Test
    void theChangesArePassedOnInOrderExactlyWhenTheDecisionRecordsEventsAndIsApplied() {
        Coverage cases = PropertyRunner.forAll(scripts()).checkWithCoverage((script, coverage) -> {
            Snapshot<List<String>> before = Snapshot.initial(INVOICE, engine.aggregate());

            Outcome<String, List<String>> outcome = engine.handle(before, command("c1", script), NOW);

            boolean applied = script.rejectWith() == null && !script.events().isEmpty() && !script.events().contains("boom");
            if (applied) {
                coverage.collect(script.changes().isEmpty() ? "no change" : "changes passed on");
                assertThat(outcome.deadlines()).isEqualTo(script.changes());
                assertThat(outcome.events()).hasSize(script.events().size());
            } else {
                assertThat(outcome.deadlines()).isEmpty();
                assertThat(outcome.events()).isEmpty();
            }
            if (script.rejectWith() == null && script.events().isEmpty() && !script.changes().isEmpty()) {
                coverage.collect("change without event");
                assertThat(outcome.result()).isInstanceOfSatisfying(CommandResult.Failed.class,
                        failed -> assertThat(failed.errorType()).isEqualTo(IllegalStateException.class.getName()));
                assertThat(outcome.snapshot()).isSameAs(before);
            }
        });

        cases.requireAtLeast("changes passed on", 20).requireAtLeast("change without event", 5).requireAtLeast("no change", 5);
    }

    @Test
    void everyDeadlineLeftScheduledByADecisionFiresACommandOfItsOwn() {
        PropertyRunner.forAll(scripts().list(0, 12)).check(scripts -> {
            Snapshot<List<String>> current = Snapshot.initial(INVOICE, engine.aggregate());
            Set<String> firedIds = new HashSet<>();
            int n = 0;
            for (Script script : scripts) {
                Outcome<String, List<String>> outcome = engine.handle(current, command("c" + (++n), script), NOW);
                // Scheduling an id twice in one decision replaces the first: only the last can fire.
                Map<String, DeadlineChange.Schedule> left = new LinkedHashMap<>();
                for (DeadlineChange change : outcome.deadlines()) {
                    if (change instanceof DeadlineChange.Schedule schedule) {
                        left.put(schedule.deadlineId(), schedule);
                    } else {
                        left.remove(change.deadlineId());
                    }
                }
                for (DeadlineChange.Schedule schedule : left.values()) {
                    Command<Remind> fired = schedule.toCommand(INVOICE, outcome.snapshot().version(), "c" + n, Map.of());
                    assertThat(firedIds.add(fired.commandId())).as("fired command id %s is new", fired.commandId()).isTrue();
                    assertThat(fired.commandId()).endsWith("/deadline/" + schedule.deadlineId() + "/" + outcome.snapshot().version());
                }
                current = outcome.snapshot();
            }
        });
    }

    @Test
    void theEngineIsDeterministicAboutDeadlines() {
        PropertyRunner.forAll(scripts()).check(script -> {
            Snapshot<List<String>> before = new Snapshot<>(INVOICE, 3, List.of("a", "b", "c"));

            assertThat(CommandEngine.of(DeadlinesTest.SCRIPTED).handle(before, command("c1", script), NOW))
                    .isEqualTo(engine.handle(before, command("c1", script), NOW));
        });
    }

    private static Command<Object> command(String id, Object payload) {
        return new Command<>(id, INVOICE, ExpectedVersion.any(), payload, Map.of());
    }

    private static Gen<Script> scripts() {
        Gen<String> ids = Gen.of("overdue", "reminder", "expiry");
        Gen<Instant> due = Gen.longs(0, 5_000_000).map(NOW::plusSeconds);
        Gen<DeadlineChange> change = Gen.frequency(
                Gen.weighted(3, random -> new DeadlineChange.Schedule(ids.next(random), due.next(random), new Remind("r"))),
                Gen.weighted(2, ids.map(DeadlineChange.Cancel::new)));
        Gen<String> event = Gen.frequency(Gen.weighted(12, Gen.alpha(2)), Gen.weighted(1, Gen.constant("boom")));
        Gen<String> rejection = Gen.frequency(Gen.weighted(9, Gen.<String>constant(null)), Gen.weighted(1, Gen.constant("NOT_NOW")));
        Gen<List<String>> events = event.list(0, 3);
        Gen<List<DeadlineChange>> changes = change.list(0, 4);
        return random -> new Script(events.next(random), changes.next(random), rejection.next(random));
    }
}
