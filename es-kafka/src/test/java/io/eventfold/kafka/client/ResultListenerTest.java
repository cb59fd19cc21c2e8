package io.eventfold.kafka.client;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.TwoBuilds;
import io.eventfold.kafka.TwoBuilds.EventV1;
import io.eventfold.kafka.TwoBuilds.EventV2;
import io.eventfold.kafka.TwoBuilds.Tally;
import io.eventfold.kafka.TwoBuilds.TallyCommand;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A gateway of build 1 reading the results of a command topology of build 2. */
class ResultListenerTest {

    private static final Instant AT = Instant.parse("2026-11-22T08:00:00Z");

    private final AggregateType<TallyCommand, EventV1, Tally> v1 = TwoBuilds.v1("tally");
    private final AggregateType<TallyCommand, EventV2, Tally> v2 = TwoBuilds.v2("tally");
    private final String topic = v1.topics().commandResults();
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final PendingCommands<EventV1, Tally> pending = new PendingCommands<>(Duration.ofSeconds(30), Runnable::run);
    private ResultListener<EventV1, Tally> listener;
    private long offset;

    @BeforeEach
    void start() {
        consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, null, null, null)));
        consumer.updateEndOffsets(Map.of(new TopicPartition(topic, 0), 0L));
        listener = ResultListener.start(consumer, v1, new ResultDelivery<>(v1, pending), ResultsDemand.permanent(), Duration.ofMinutes(5));
    }

    @AfterEach
    void stop() {
        listener.close();
        pending.close("test over");
    }

    @Test
    void shouldTellTheCallerThatACommandWasAcceptedWhenItsEventsHaveATypeOfANewerBuild() {
        CompletableFuture<CommandResult<EventV1, Tally>> future = pending.register("t-1", "c-1").future();
        CommandResult<EventV2, Tally> accepted = new CommandResult.Accepted<>("c-1", "t-1", 3, List.of(
                new Event<>("t-1", 2, "c-1", AT, new EventV2.Added(500)),
                new Event<>("t-1", 3, "c-1", AT, new EventV2.LargeAddNoted(500))), new Tally(501));
        deliver("t-1", v2.serdes().results().serializer().serialize(topic, accepted), "c-1", "3", "ACCEPTED");

        Throwable error = catchThrowable(future::join);

        assertThat(error).cause().isInstanceOf(UnreadableResultException.class)
                .hasMessage("command c-1 of aggregate t-1 was accepted at version 3, but this build cannot read its result"
                        + " at tally-command-results-0@0: it does not know the type 'LargeAddNoted'. The command topology"
                        + " runs a newer build: upgrade gateways before it (docs/upgrades.md). Sent again with the same"
                        + " command id within the command-id retention, the command changes nothing and is answered"
                        + " AlreadyAccepted, which this build can read");
        UnreadableResultException unreadable = (UnreadableResultException) error.getCause();
        assertThat(unreadable.accepted()).isTrue();
        assertThat(unreadable.kind()).contains(CommandResult.Kind.ACCEPTED);
        assertThat(unreadable.version()).hasValue(3);
        assertThat(unreadable.commandId()).isEqualTo("c-1");
        assertThat(unreadable.aggregateId()).isEqualTo("t-1");
        assertThat(unreadable.source()).isEqualTo("tally-command-results-0@0");
        assertThat(unreadable.unknownTypes()).containsExactly("LargeAddNoted");
    }

    @Test
    void shouldKeepTheKindAndVersionOfABrokenResult() {
        CompletableFuture<CommandResult<EventV1, Tally>> future = pending.register("t-1", "c-1").future();
        deliver("t-1", "{\"kind\":".getBytes(StandardCharsets.UTF_8), "c-1", "2", "REJECTED");

        Throwable error = catchThrowable(future::join);

        assertThat(error).cause().isInstanceOf(UnreadableResultException.class)
                .hasMessageStartingWith("command c-1 of aggregate t-1 was answered REJECTED at version 2, but its result at"
                        + " tally-command-results-0@0 cannot be read: result value is not JSON");
        UnreadableResultException unreadable = (UnreadableResultException) error.getCause();
        assertThat(unreadable.accepted()).isFalse();
        assertThat(unreadable.unknownTypes()).isEmpty();
    }

    @Test
    void shouldFailWithTheKindAndVersionAResultWhoseStateIsOfAnotherStateVersion() {
        AggregateType<TallyCommand, EventV1, Tally> stateV2 = AggregateType.builder("tally", v1.aggregate())
                .commands(TallyCommand.class).events(EventV1.class).state(Tally.class, 2).build();
        CompletableFuture<CommandResult<EventV1, Tally>> future = pending.register("t-1", "c-3").future();
        CommandResult<EventV1, Tally> accepted = new CommandResult.Accepted<>("c-3", "t-1", 5,
                List.of(new Event<>("t-1", 5, "c-3", AT, new EventV1.Added(2))), new Tally(505));
        deliver("t-1", stateV2.serdes().results().serializer().serialize(topic, accepted), "c-3", "5", "ACCEPTED");

        Throwable error = catchThrowable(future::join);

        assertThat(error).cause().isInstanceOf(UnreadableResultException.class)
                .hasMessageStartingWith("command c-3 of aggregate t-1 was accepted at version 5, but its result at"
                        + " tally-command-results-0@0 cannot be read: result of aggregate 't-1' was written with state version 2");
        UnreadableResultException unreadable = (UnreadableResultException) error.getCause();
        assertThat(unreadable.accepted()).isTrue();
        assertThat(unreadable.version()).hasValue(5);
        assertThat(unreadable.unknownTypes()).isEmpty();
    }

    @Test
    void shouldStillCompleteWithTheResultsItCanRead() {
        CompletableFuture<CommandResult<EventV1, Tally>> future = pending.register("t-1", "c-2").future();
        CommandResult<EventV2, Tally> small = new CommandResult.Accepted<>("c-2", "t-1", 4,
                List.of(new Event<>("t-1", 4, "c-2", AT, new EventV2.Added(2))), new Tally(503));
        deliver("t-1", v2.serdes().results().serializer().serialize(topic, small), "c-2", "4", "ACCEPTED");

        assertThat(future.join()).isEqualTo(new CommandResult.Accepted<>("c-2", "t-1", 4,
                List.of(new Event<>("t-1", 4, "c-2", AT, new EventV1.Added(2))), new Tally(503)));
    }

    private void deliver(String key, byte[] value, String commandId, String version, String kind) {
        Headers headers = new RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, commandId);
        EventfoldHeaders.put(headers, EventfoldHeaders.VERSION, version);
        EventfoldHeaders.put(headers, EventfoldHeaders.RESULT_KIND, kind);
        consumer.addRecord(new ConsumerRecord<>(topic, 0, offset++, 0L, TimestampType.CREATE_TIME, 0, value.length, key, value,
                headers, Optional.empty()));
    }
}
