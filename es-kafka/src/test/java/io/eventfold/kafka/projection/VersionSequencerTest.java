package io.eventfold.kafka.projection;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class VersionSequencerTest {

    private final VersionSequencer events = new VersionSequencer(VersionSequencer.Mode.EVENTS, "invoice-history", 1);
    private final VersionSequencer snapshots = new VersionSequencer(VersionSequencer.Mode.SNAPSHOTS, "invoice-list", 1);
    private final List<VersionSequencer.Entry<String>> batch = new ArrayList<>();
    private long offset = 100;

    private void read(String aggregate, long version) {
        Delivery<String> delivery = new Delivery<>(aggregate + "@" + version, aggregate, version, "invoices-events", 2, offset++);
        batch.add(new VersionSequencer.Entry<>(aggregate, version, delivery.coordinates(), List.of(delivery)));
    }

    private void skipped(String aggregate, long version) {
        batch.add(new VersionSequencer.Entry<>(aggregate, version, "invoices-events-2@" + offset++, List.of()));
    }

    @Test
    void shouldStartAnAggregateAtVersionOneAndFollowOnEachVersion() {
        read("INV-1", 1);
        read("INV-2", 4);
        read("INV-1", 2);
        read("INV-2", 5);

        VersionSequencer.Result<String> result = events.sequence(Map.of("INV-2", 3L), batch);

        assertThat(result.fresh()).extracting(Delivery::value).containsExactly("INV-1@1", "INV-2@4", "INV-1@2", "INV-2@5");
        assertThat(result.last()).isEqualTo(Map.of("INV-1", 2L, "INV-2", 5L));
        assertThat(result.duplicates()).isZero();
    }

    @Test
    void shouldDeliverTheEventsOfASplitRecordInOrderAndCountADroppedOneAsApplied() {
        Delivery<String> first = new Delivery<>("INV-1@1a", "INV-1", 1, "invoices-events", 2, offset);
        Delivery<String> second = new Delivery<>("INV-1@1b", "INV-1", 1, "invoices-events", 2, offset++);
        batch.add(new VersionSequencer.Entry<>("INV-1", 1, first.coordinates(), List.of(first, second)));
        skipped("INV-1", 2);
        read("INV-1", 3);

        VersionSequencer.Result<String> result = events.sequence(Map.of(), batch);

        assertThat(result.fresh()).extracting(Delivery::value).containsExactly("INV-1@1a", "INV-1@1b", "INV-1@3");
        assertThat(result.last()).isEqualTo(Map.of("INV-1", 3L));
    }

    @Test
    void shouldDropVersionsAppliedBefore() {
        read("INV-1", 7);
        read("INV-1", 8);
        read("INV-1", 9);
        read("INV-1", 9);

        VersionSequencer.Result<String> result = events.sequence(Map.of("INV-1", 8L), batch);

        assertThat(result.fresh()).extracting(Delivery::value).containsExactly("INV-1@9");
        assertThat(result.last()).isEqualTo(Map.of("INV-1", 9L));
        assertThat(result.duplicates()).isEqualTo(3);
    }

    @Test
    void shouldReportNothingMovedForABatchOfDuplicates() {
        read("INV-1", 3);

        VersionSequencer.Result<String> result = events.sequence(Map.of("INV-1", 3L), batch);

        assertThat(result.fresh()).isEmpty();
        assertThat(result.last()).isEmpty();
    }

    @Test
    void shouldStopAtAGapNamingTheProjectionTheAggregateTheVersionsAndTheRecord() {
        read("INV-1", 9);
        read("INV-7", 10);

        VersionGapException gap = catchThrowableOfType(VersionGapException.class,
                () -> events.sequence(Map.of("INV-1", 8L, "INV-7", 8L), batch));

        assertThat(gap).hasMessage("projection invoice-history (generation 1): aggregate INV-7 jumps from version 8 to version 10"
                + " at invoices-events-2@101; version 9 is missing from the read model. Nothing of this batch was applied."
                + " Find the cause (a sink that lost transactions but kept later ones, events deleted), then rebuild the projection");
        assertThat(gap.projection()).isEqualTo("invoice-history");
        assertThat(gap.generation()).isEqualTo(1);
        assertThat(gap.aggregateId()).isEqualTo("INV-7");
        assertThat(gap.lastApplied()).isEqualTo(8);
        assertThat(gap.received()).isEqualTo(10);
        assertThat(gap.coordinates()).isEqualTo("invoices-events-2@101");
    }

    @Test
    void shouldTreatAnAggregateWithoutVersionsAsOneThatMustStartAtOne() {
        read("INV-3", 2);

        VersionGapException gap = catchThrowableOfType(VersionGapException.class, () -> events.sequence(Map.of(), batch));

        assertThat(gap.lastApplied()).isZero();
        assertThat(gap).hasMessageContaining("jumps from version 0 to version 2").hasMessageContaining("version 1 is missing");
    }

    @Test
    void shouldNameEveryMissingVersionOfALargerGap() {
        read("INV-3", 6);

        VersionGapException gap = catchThrowableOfType(VersionGapException.class, () -> events.sequence(Map.of("INV-3", 2L), batch));

        assertThat(gap).hasMessageContaining("versions 3 to 5 are missing");
    }

    @Test
    void shouldCountAVersionSkippedForAnUnknownTypeAsApplied() {
        read("t-1", 2);
        skipped("t-1", 3);
        read("t-1", 4);

        VersionSequencer.Result<String> result = events.sequence(Map.of("t-1", 1L), batch);

        assertThat(result.fresh()).extracting(Delivery::version).containsExactly(2L, 4L);
        assertThat(result.last()).isEqualTo(Map.of("t-1", 4L));
    }

    @Test
    void shouldRecordTheVersionOfASkippedRecordThatEndsTheBatch() {
        skipped("t-1", 3);

        VersionSequencer.Result<String> result = events.sequence(Map.of("t-1", 2L), batch);

        assertThat(result.fresh()).isEmpty();
        assertThat(result.last()).as("the next batch's version 4 follows on").isEqualTo(Map.of("t-1", 3L));
    }

    @Test
    void shouldLetSnapshotVersionsJumpButNeverGoBack() {
        read("INV-1", 3);
        read("INV-1", 7);
        read("INV-1", 5);
        read("INV-2", 1);

        VersionSequencer.Result<String> result = snapshots.sequence(Map.of("INV-1", 2L, "INV-2", 4L), batch);

        assertThat(result.fresh()).extracting(Delivery::value).containsExactly("INV-1@3", "INV-1@7");
        assertThat(result.last()).isEqualTo(Map.of("INV-1", 7L));
        assertThat(result.duplicates()).isEqualTo(2);
    }
}
