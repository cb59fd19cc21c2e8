package io.eventfold.kafka.projection;

import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.kafka.json.Upcasters;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.TwoBuilds;
import io.eventfold.kafka.TwoBuilds.EventV1;
import io.eventfold.kafka.TwoBuilds.EventV2;
import io.eventfold.kafka.TwoBuilds.Tally;
import io.eventfold.kafka.TwoBuilds.TallyCommand;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/** A projection of build 1 reading events that build 2 wrote. */
class BatchDecoderTest {

    private static final Instant AT = Instant.parse("2026-11-22T08:00:00Z");

    private final AggregateType<TallyCommand, EventV1, Tally> v1 = TwoBuilds.v1("tally");
    private final AggregateType<TallyCommand, EventV2, Tally> v2 = TwoBuilds.v2("tally");
    private final String topic = v1.topics().events();
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

    private BatchDecoder<Event<EventV1>> decoder(UnknownTypePolicy policy) {
        return new BatchDecoder<>(BatchDecoder.events(v1), v1.eventCodec(), v1.eventUpcasters(), policy, "tally-view");
    }

    private void written(long version, EventV2 payload) {
        Event<EventV2> event = new Event<>("t-1", version, "c-" + version, AT, payload);
        add(v2.serdes().events().serializer().serialize(topic, event), version, v2.eventCodec().typeName(payload));
    }

    private void add(byte[] value, long version, String type) {
        Headers headers = new RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.VERSION, Long.toString(version));
        EventfoldHeaders.put(headers, EventfoldHeaders.EVENT_TYPE, type);
        records.add(new ConsumerRecord<>(topic, 0, 10 + records.size(), 0L, TimestampType.CREATE_TIME, 3, value.length, "t-1",
                value, headers, Optional.empty()));
    }

    private ConsumerRecords<String, byte[]> batch() {
        return new ConsumerRecords<>(Map.of(new TopicPartition(topic, 0), records), Map.of());
    }

    @Test
    void shouldStopAtAnUnknownTypeNamingIt() {
        written(1, new EventV2.Added(1));
        written(2, new EventV2.LargeAddNoted(500));
        written(3, new EventV2.Added(2));

        ProjectionStoppedException stopped = catchThrowableOfType(ProjectionStoppedException.class,
                () -> decoder(UnknownTypePolicy.STOP).decode(batch()));

        assertThat(stopped).hasMessage("projection 'tally-view' stopped at tally-events-0@11: aggregate t-1 version 2 has"
                + " the type 'LargeAddNoted', which this build does not know (it knows [Added]). A newer build of the"
                + " command topology wrote it: upgrade this projection to a build that knows the type (projections before"
                + " the command topology, see docs/upgrades.md); started under the same projection name, it resumes at this record."
                + " A read model that may ignore such records runs with UnknownTypePolicy.SKIP");
        assertThat(stopped.source()).isEqualTo("tally-events-0@11");
        assertThat(stopped.aggregateId()).isEqualTo("t-1");
        assertThat(stopped.version()).hasValue(2);
        assertThat(stopped.typeName()).isEqualTo("LargeAddNoted");
    }

    @Test
    void shouldSkipAnUnknownTypeAndReportIt() {
        written(1, new EventV2.Added(1));
        written(2, new EventV2.LargeAddNoted(500));
        written(3, new EventV2.Added(2));

        BatchDecoder.Batch<Event<EventV1>> batch = decoder(UnknownTypePolicy.SKIP).decode(batch());

        assertThat(batch.values()).extracting(Event::version).containsExactly(1L, 3L);
        assertThat(batch.entries()).as("the skipped version is sequenced as applied, with no delivery")
                .extracting(VersionSequencer.Entry::version, entry -> entry.deliveries().isEmpty())
                .containsExactly(tuple(1L, false), tuple(2L, true), tuple(3L, false));
        assertThat(batch.entries().get(0).deliveries().get(0).coordinates()).isEqualTo("tally-events-0@10");
        assertThat(batch.skipped()).containsExactly(
                new BatchDecoder.Skipped("tally-events-0@11", "t-1", OptionalLong.of(2), "LargeAddNoted"));
        assertThat(batch.skipped().get(0)).hasToString(
                "tally-events-0@11: aggregate t-1 version 2 has the type 'LargeAddNoted', which this build does not know");
    }

    @Test
    void shouldSkipNoBrokenRecordWhateverThePolicy() {
        written(1, new EventV2.Added(1));
        add("{\"aggregateId\":".getBytes(StandardCharsets.UTF_8), 2, "Added");

        for (UnknownTypePolicy policy : UnknownTypePolicy.values()) {
            assertThatThrownBy(() -> decoder(policy).decode(batch()))
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("record tally-events-0@11 cannot be read by this projection: event value is not JSON");
        }
    }

    private static AggregateType<TallyCommand, EventV1, Tally> tally(int stateVersion, Upcasters events) {
        return AggregateType.builder("tally", v1Aggregate()).commands(TallyCommand.class).events(EventV1.class, events)
                .state(Tally.class, stateVersion).build();
    }

    private static io.eventfold.core.Aggregate<TallyCommand, EventV1, Tally> v1Aggregate() {
        return TwoBuilds.v1("tally").aggregate();
    }

    private void raw(long version, String type, String payload) {
        add(("{\"aggregateId\":\"t-1\",\"version\":" + version + ",\"type\":\"" + type + "\",\"commandId\":\"c-" + version
                + "\",\"timestamp\":\"2026-11-22T08:00:00Z\",\"payload\":" + payload + "}").getBytes(StandardCharsets.UTF_8), version, type);
    }

    @Test
    void shouldDeliverTheEventsOfASplitRecordAtItsVersionAndSequenceADroppedOneAsApplied() {
        AggregateType<TallyCommand, EventV1, Tally> upcasting = tally(1, Upcasters.builder()
                .upcastWith("Doubled", 1, stored -> List.of(stored.withType("Added"), stored.withType("Added")))
                .upcastWith("Noted", 1, stored -> List.of())
                .build());
        raw(1, "Doubled", "{\"amount\":5}");
        raw(2, "Noted", "{}");
        raw(3, "Added", "{\"amount\":1}");

        BatchDecoder.Batch<Event<EventV1>> batch = new BatchDecoder<>(BatchDecoder.events(upcasting), upcasting.eventCodec(),
                upcasting.eventUpcasters(), UnknownTypePolicy.STOP, "tally-view").decode(batch());

        assertThat(batch.values()).extracting(Event::version, Event::payload).containsExactly(
                tuple(1L, new EventV1.Added(5)), tuple(1L, new EventV1.Added(5)), tuple(3L, new EventV1.Added(1)));
        assertThat(batch.entries()).extracting(VersionSequencer.Entry::version, entry -> entry.deliveries().size())
                .containsExactly(tuple(1L, 2), tuple(2L, 0), tuple(3L, 1));
        assertThat(batch.skipped()).isEmpty();
        assertThat(new VersionSequencer(VersionSequencer.Mode.EVENTS, "tally-view", 1).sequence(Map.of(), batch.entries()).last())
                .isEqualTo(Map.of("t-1", 3L));
    }

    private BatchDecoder<Snapshot<Tally>> snapshotDecoder(AggregateType<TallyCommand, EventV1, Tally> type, UnknownTypePolicy policy) {
        return new BatchDecoder<>(BatchDecoder.snapshots(type), type.stateCodec(), Upcasters.none(), policy, "tally-list");
    }

    private void snapshot(AggregateType<TallyCommand, EventV1, Tally> writer, long version, long total) {
        add(writer.serdes().snapshots().serializer().serialize(topic, new Snapshot<>("t-1", version, new Tally(total))), version, "Tally");
    }

    @Test
    void shouldPassOverASnapshotOfAnOlderStateVersionWithoutCountingItApplied() {
        AggregateType<TallyCommand, EventV1, Tally> current = tally(2, Upcasters.none());
        snapshot(tally(1, Upcasters.none()), 4, 10);
        snapshot(current, 4, 12);

        BatchDecoder.Batch<Snapshot<Tally>> batch = snapshotDecoder(current, UnknownTypePolicy.STOP).decode(batch());

        assertThat(batch.entries()).as("the stale snapshot is no entry: the rebuilt one at the same version is applied")
                .extracting(VersionSequencer.Entry::coordinates).containsExactly("tally-events-0@11");
        assertThat(batch.values()).containsExactly(new Snapshot<>("t-1", 4, new Tally(12)));
        assertThat(batch.stale()).containsExactly("tally-events-0@10: aggregate t-1 state version 1");
        assertThat(batch.skipped()).isEmpty();
    }

    @Test
    void shouldTreatASnapshotOfANewerStateVersionAsAnUnknownType() {
        AggregateType<TallyCommand, EventV1, Tally> current = tally(2, Upcasters.none());
        snapshot(tally(3, Upcasters.none()), 4, 10);

        assertThatThrownBy(() -> snapshotDecoder(current, UnknownTypePolicy.STOP).decode(batch()))
                .isInstanceOfSatisfying(ProjectionStoppedException.class,
                        stopped -> assertThat(stopped.typeName()).isEqualTo("Tally at state version 3"))
                .hasMessageContaining("aggregate t-1 version 4 has the type 'Tally at state version 3', which this build does not know");
        BatchDecoder.Batch<Snapshot<Tally>> skipped = snapshotDecoder(current, UnknownTypePolicy.SKIP).decode(batch());
        assertThat(skipped.values()).isEmpty();
        assertThat(skipped.skipped()).extracting(BatchDecoder.Skipped::typeName).containsExactly("Tally at state version 3");
    }
}
