package io.eventfold.kafka.audit;

import io.eventfold.core.ErrorText;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A broken cluster cannot fill the audit's memory with violations. */
class ViolationsTest {

    @Test
    void shouldKeepTheFirstViolationsCutToABoundAndCountTheRest() {
        Violations violations = new Violations();
        for (int i = 0; i < Violations.KEPT + 500; i++) {
            violations.add("command c" + i + " for " + "a".repeat(10_000) + " has no result");
        }

        assertThat(violations.kept()).hasSize(Violations.KEPT)
                .allSatisfy(violation -> assertThat(violation.length()).isLessThan(ErrorText.MAX_LENGTH + 50));
        assertThat(violations.notKept()).isEqualTo(500);

        AuditReport report = new AuditReport(0, 0, Map.of(), 0, 0, 0, 0, new RetentionWindow("r", 1, 0, 0, -1),
                new RetentionWindow("c", 1, 0, 0, -1), 0, 0, 0, DeadlineCounts.NONE, java.util.List.of(), violations.kept(),
                violations.notKept());
        assertThat(report.clean()).isFalse();
        assertThat(report.violationCount()).isEqualTo(Violations.KEPT + 500);
        assertThat(report.summary()).contains(": 1500 violations", "… and 1450 more (the report keeps the first 1000)");
    }

    @Test
    void shouldShowTheBeginningOfALongIdAndHowMuchIsLeftOut() {
        assertThat(Violations.id("INV-7")).isEqualTo("INV-7");
        assertThat(Violations.id("x".repeat(Violations.ID_LENGTH + 5)))
                .isEqualTo("x".repeat(Violations.ID_LENGTH) + "… (5 more characters)");
    }
}
