package io.eventfold.kafka.internal;

import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.Deposited;
import io.eventfold.core.account.AccountEvent.Opened;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.RebuildStatus.Phase;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class RebuildMachineTest {

    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    static AggregateType<AccountCommand, AccountEvent, Account> accounts(int stateVersion) {
        return AggregateType.builder("account", new AccountAggregate())
                .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class, stateVersion).build();
    }

    final AggregateType<AccountCommand, AccountEvent, Account> v1 = accounts(1);
    final AggregateType<AccountCommand, AccountEvent, Account> v2 = accounts(2);
    final MapStore store = new MapStore();
    final List<Published> published = new ArrayList<>();
    final List<byte[]> events = new ArrayList<>();
    int logsOpened;
    long beginning;
    RuntimeException logFailure;
    InMemoryEventLog lastLog;
    /** The machine's clock; a tick's deadline is measured on it too. */
    long nanos;

    record Published(String aggregateId, String commandId, long version, byte[] snapshot, long timestamp) {
    }

    /** The snapshot store as a sorted map, as RocksDB orders keys. */
    static final class MapStore implements RebuildMachine.Store {
        final TreeMap<String, byte[]> entries = new TreeMap<>();

        @Override
        public byte[] get(String key) {
            return entries.get(key);
        }

        @Override
        public void put(String key, byte[] value) {
            entries.put(key, value);
        }

        @Override
        public void delete(String key) {
            entries.remove(key);
        }

        @Override
        public List<Map.Entry<String, byte[]>> after(String afterKey, int max) {
            List<Map.Entry<String, byte[]>> result = new ArrayList<>();
            for (Map.Entry<String, byte[]> entry : (afterKey == null ? entries : entries.tailMap(afterKey, false)).entrySet()) {
                if (!entry.getKey().isEmpty() && result.size() < max) {
                    result.add(Map.entry(entry.getKey(), entry.getValue()));
                }
            }
            return result;
        }
    }

    RebuildMachine<AccountCommand, AccountEvent, Account> machine(AggregateType<AccountCommand, AccountEvent, Account> type,
                                                                  long recordsPerTick) {
        return machine(type, recordsPerTick, 1, Duration.ZERO);
    }

    /** A machine that keeps up to {@code maxBuffered} replayed states in memory for up to {@code flushInterval} ({@link #nanos}). */
    RebuildMachine<AccountCommand, AccountEvent, Account> machine(AggregateType<AccountCommand, AccountEvent, Account> type,
                                                                  long recordsPerTick, int maxBuffered, Duration flushInterval) {
        return new RebuildMachine<>(type, 3, store,
                (id, commandId, version, snapshot, timestamp) -> published.add(new Published(id, commandId, version, snapshot, timestamp)),
                () -> {
                    logsOpened++;
                    if (logFailure != null) {
                        throw logFailure;
                    }
                    List<byte[]> held = events.subList((int) beginning, events.size());
                    lastLog = new InMemoryEventLog(held, beginning, 2);
                    return lastLog;
                }, () -> nanos, () -> T0, recordsPerTick, maxBuffered, flushInterval);
    }

    void event(String id, long version, AccountEvent payload) {
        events.add(new EnvelopeWriter<>(EnvelopeSchema.of(v1)).event(
                new Event<>(id, version, "cmd-" + id + "-" + version, T0.plusSeconds(version), payload)));
    }

    void storeSnapshot(AggregateType<AccountCommand, AccountEvent, Account> type, String id, long version, Account state) {
        store.put(id, new EnvelopeWriter<>(EnvelopeSchema.of(type)).snapshot(new Snapshot<>(id, version, state)));
    }

    Snapshot<Account> stored(AggregateType<AccountCommand, AccountEvent, Account> type, String id) {
        return new EnvelopeReader<>(EnvelopeSchema.of(type)).readSnapshot(store.get(id));
    }

    RebuildMarker marker() {
        return RebuildMarker.fromBytes(store.get(RebuildMarker.KEY));
    }

    /** Two accounts at state version 1, their snapshots as a v1 build stored them. */
    void historyAtV1() {
        event("a", 1, new Opened("alice"));
        event("b", 1, new Opened("bob"));
        event("a", 2, new Deposited(10));
        event("b", 2, new Deposited(7));
        event("a", 3, new Deposited(5));
        storeSnapshot(v1, "a", 3, new Account(Account.Status.OPEN, "alice", 15));
        storeSnapshot(v1, "b", 2, new Account(Account.Status.OPEN, "bob", 7));
        store.put(RebuildMarker.KEY, RebuildMarker.current(1, 1).toBytes());
    }

    void runToEnd(RebuildMachine<?, ?, ?> machine) {
        for (int i = 0; i < 100 && machine.working(); i++) {
            machine.tick(Duration.ofMillis(500));
        }
    }

    @Test
    void aFreshPartitionIsCurrentAtOnce() {
        var machine = machine(v2, Long.MAX_VALUE);
        machine.init();
        assertThat(machine.phase()).isEqualTo(Phase.STARTING);
        assertThat(machine.refusal()).contains("partition 3 of account is checking").endsWith("send again");

        machine.decide();

        assertThat(machine.phase()).isEqualTo(Phase.CURRENT);
        assertThat(machine.refusal()).isNull();
        assertThat(marker()).isEqualTo(RebuildMarker.current(2, 0));
        assertThat(lastLog.closed()).isTrue();
    }

    @Test
    void aCurrentMarkerCostsNoCallToTheLog() {
        store.put(RebuildMarker.KEY, RebuildMarker.current(2, 1).toBytes());
        var machine = machine(v2, Long.MAX_VALUE);
        machine.init();
        machine.decide();
        machine.tick(Duration.ofMillis(500));

        assertThat(machine.phase()).isEqualTo(Phase.CURRENT);
        assertThat(machine.working()).isFalse();
        assertThat(logsOpened).isZero();
    }

    @Test
    void aStoreWrittenBeforeMarkersExistedIsAdoptedAtStateVersionOne() {
        event("a", 1, new Opened("alice"));
        storeSnapshot(v1, "a", 1, new Account(Account.Status.OPEN, "alice", 0));
        var machine = machine(v1, Long.MAX_VALUE);
        machine.init();
        machine.decide();

        assertThat(machine.phase()).isEqualTo(Phase.CURRENT);
        assertThat(marker()).isEqualTo(RebuildMarker.current(1, 1));
        assertThat(logsOpened).isZero();
        assertThat(published).isEmpty();
    }

    @Test
    void olderSnapshotsAreReplayedFromTheEventsThenPublishedOncePerAggregate() {
        historyAtV1();
        var machine = machine(v2, Long.MAX_VALUE);
        machine.init();
        assertThat(machine.phase()).isEqualTo(Phase.STARTING);
        machine.decide();
        assertThat(machine.phase()).isEqualTo(Phase.REPLAYING);
        assertThat(machine.refusal()).isEqualTo("partition 3 of account is rebuilding its snapshots for state version 2:"
                + " 0% (0 of 5 events); send again");
        assertThat(machine.status().fromStateVersion()).isEqualTo(1);

        runToEnd(machine);

        assertThat(machine.phase()).isEqualTo(Phase.CURRENT);
        assertThat(stored(v2, "a")).isEqualTo(new Snapshot<>("a", 3, new Account(Account.Status.OPEN, "alice", 15)));
        assertThat(stored(v2, "b")).isEqualTo(new Snapshot<>("b", 2, new Account(Account.Status.OPEN, "bob", 7)));
        assertThat(new String(store.get("a"), StandardCharsets.UTF_8)).doesNotContain(RebuildMachine.FLAG);
        assertThat(published).extracting(Published::aggregateId, Published::version, Published::commandId, Published::timestamp)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 3L, "cmd-a-3", T0.plusSeconds(3).toEpochMilli()),
                        org.assertj.core.groups.Tuple.tuple("b", 2L, "cmd-b-2", T0.plusSeconds(2).toEpochMilli()));
        assertThat(published.get(0).snapshot()).isEqualTo(store.get("a"));
        RebuildMarker done = marker();
        assertThat(done.phase()).isEqualTo(Phase.CURRENT);
        assertThat(done.stateVersion()).isEqualTo(2);
        assertThat(done.offset()).isEqualTo(5);
        assertThat(done.aggregates()).isEqualTo(2);
        assertThat(done.published()).isEqualTo(2);
        assertThat(done.finishedAt()).isEqualTo(T0);
        assertThat(machine.status().percent()).isEqualTo(100);
        assertThat(lastLog.closed()).isTrue();
    }

    @Test
    void anEmptyStoreOverExistingEventsIsRebuilt() {
        event("a", 1, new Opened("alice"));
        event("a", 2, new Deposited(4));
        var machine = machine(v1, Long.MAX_VALUE);
        machine.init();
        machine.decide();
        assertThat(machine.phase()).isEqualTo(Phase.REPLAYING);

        runToEnd(machine);

        assertThat(machine.phase()).isEqualTo(Phase.CURRENT);
        assertThat(stored(v1, "a")).isEqualTo(new Snapshot<>("a", 2, new Account(Account.Status.OPEN, "alice", 4)));
        assertThat(published).hasSize(1);
    }

    @Test
    void aCrashedRebuildResumesAtItsMarker() {
        historyAtV1();
        var first = machine(v2, 2);
        first.init();
        first.tick(Duration.ofMillis(500));
        assertThat(marker().phase()).isEqualTo(Phase.REPLAYING);
        assertThat(marker().offset()).isEqualTo(2);
        first.close();

        var second = machine(v2, Long.MAX_VALUE);
        second.init();
        assertThat(second.phase()).isEqualTo(Phase.REPLAYING);
        assertThat(second.status().offsetsRead()).isEqualTo(2);
        runToEnd(second);

        assertThat(second.phase()).isEqualTo(Phase.CURRENT);
        assertThat(stored(v2, "a")).isEqualTo(new Snapshot<>("a", 3, new Account(Account.Status.OPEN, "alice", 15)));
        assertThat(stored(v2, "b")).isEqualTo(new Snapshot<>("b", 2, new Account(Account.Status.OPEN, "bob", 7)));
        assertThat(marker().aggregates()).isEqualTo(2);
        assertThat(published).hasSize(2);
    }

    @Test
    void replayedStatesStayInMemoryUntilTheyAreWrittenWithTheMarkerThatCoversThem() {
        historyAtV1();
        var first = machine(v2, 2, 100, Duration.ofSeconds(10));
        first.init();
        first.tick(Duration.ofMillis(500));

        assertThat(first.status().offsetsRead()).isEqualTo(2);
        assertThat(marker().offset()).as("nothing written yet, so nothing to resume from").isZero();
        assertThat(new String(store.get("a"), StandardCharsets.UTF_8)).doesNotContain("stateVersion");
        first.close();

        // Lost with the task, as uncommitted work is: the next owner replays from the last marker.
        var second = machine(v2, Long.MAX_VALUE, 100, Duration.ofSeconds(10));
        second.init();
        assertThat(second.status().offsetsRead()).isZero();
        runToEnd(second);

        assertThat(second.phase()).isEqualTo(Phase.CURRENT);
        assertThat(stored(v2, "a")).isEqualTo(new Snapshot<>("a", 3, new Account(Account.Status.OPEN, "alice", 15)));
        assertThat(stored(v2, "b")).isEqualTo(new Snapshot<>("b", 2, new Account(Account.Status.OPEN, "bob", 7)));
        assertThat(marker().aggregates()).isEqualTo(2);
        assertThat(published).hasSize(2);
    }

    @Test
    void bufferedStatesAreWrittenOnceTheFlushIntervalHasPassed() {
        historyAtV1();
        var machine = machine(v2, 2, 100, Duration.ofSeconds(10));
        machine.init();
        machine.tick(Duration.ofMillis(500));
        assertThat(marker().offset()).isZero();

        nanos = Duration.ofSeconds(11).toNanos();
        machine.tick(Duration.ofMillis(500));

        assertThat(marker().offset()).isEqualTo(4);
        assertThat(marker().aggregates()).isEqualTo(2);
        assertThat(new String(store.get("a"), StandardCharsets.UTF_8)).contains("\"stateVersion\":2").contains(RebuildMachine.FLAG);
    }

    @Test
    void bufferedStatesAreWrittenOnceTheBufferIsFull() {
        historyAtV1();
        var machine = machine(v2, 2, 2, Duration.ofSeconds(10));
        machine.init();
        machine.tick(Duration.ofMillis(500));

        assertThat(marker().offset()).as("two records of two aggregates fill a buffer of two").isEqualTo(2);
        assertThat(new String(store.get("b"), StandardCharsets.UTF_8)).contains(RebuildMachine.FLAG);
    }

    @Test
    void aRecordSplitOrDroppedByAnUpcasterStillTakesItsAggregateToTheRecordsVersion() {
        event("a", 1, new Opened("alice"));
        event("a", 2, new Deposited(10));
        event("a", 3, new Deposited(5));
        event("a", 4, new Deposited(1));
        // Today a first-format deposit of 10 is two deposits, and one of 5 is no longer an event.
        AggregateType<AccountCommand, AccountEvent, Account> upcasting = AggregateType.builder("account", new AccountAggregate())
                .commands(AccountCommand.class)
                .events(AccountEvent.class, io.eventfold.kafka.json.Upcasters.builder()
                        .upcastWith("Deposited", 1, stored -> stored.json().path("amount").asLong() == 5 ? List.of()
                                : stored.json().path("amount").asLong() == 10 ? List.of(stored.withVersion(2), stored.withVersion(2))
                                : List.of(stored.withVersion(2)))
                        .build())
                .state(Account.class, 2).build();
        var machine = machine(upcasting, Long.MAX_VALUE, 100, Duration.ofSeconds(10));
        machine.init();

        runToEnd(machine);

        assertThat(machine.phase()).isEqualTo(Phase.CURRENT);
        assertThat(stored(upcasting, "a")).isEqualTo(new Snapshot<>("a", 4, new Account(Account.Status.OPEN, "alice", 21)));
        assertThat(published).singleElement().satisfies(p -> assertThat(p.commandId()).isEqualTo("cmd-a-4"));
    }

    @Test
    void whilePublishingACommandWaitsForAnEntryNotYetCheckedButNotForACompleteOne() {
        store.put(RebuildMarker.KEY, RebuildMarker.replaying(2, 1, 5, T0).withPhase(Phase.PUBLISHING, null).toBytes());
        Account alice = new Account(Account.Status.OPEN, "alice", 15);
        var machine = machine(v2, Long.MAX_VALUE);
        machine.init();
        assertThat(machine.phase()).isEqualTo(Phase.PUBLISHING);
        assertThat(machine.handlesCommands()).isTrue();

        byte[] belowTarget = flagged(new Snapshot<>("a", 2, alice), 3);
        byte[] reachedTarget = flagged(new Snapshot<>("a", 3, alice), 3);
        byte[] published = new EnvelopeWriter<>(EnvelopeSchema.of(v2)).snapshot(new Snapshot<>("a", 3, alice));
        byte[] olderVersion = new EnvelopeWriter<>(EnvelopeSchema.of(v1)).snapshot(new Snapshot<>("a", 3, alice));

        assertThat(machine.incompleteEntry("a", belowTarget))
                .isEqualTo("partition 3 of account is publishing its rebuilt snapshots for state version 2 and has not checked"
                        + " aggregate a yet; send again");
        assertThat(machine.incompleteEntry("a", olderVersion)).isNotNull();
        assertThat(machine.incompleteEntry("a", reachedTarget)).isNull();
        assertThat(machine.incompleteEntry("a", published)).isNull();
        assertThat(machine.incompleteEntry("a", null)).isNull();
        assertThat(machine.refusalIsTemporary()).isTrue();
    }

    /** A replayed entry as the replay writes it: the snapshot envelope with the flag as its last field. */
    private byte[] flagged(Snapshot<Account> snapshot, long target) {
        String json = new String(new EnvelopeWriter<>(EnvelopeSchema.of(v2)).snapshot(snapshot), StandardCharsets.UTF_8);
        return (json.substring(0, json.length() - 1) + ",\"" + RebuildMachine.FLAG
                + "\":{\"commandId\":\"cmd-a-3\",\"timestamp\":0,\"target\":" + target + "}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCrashWhilePublishingResumesAfterTheLastPublishedAggregate() {
        historyAtV1();
        var first = machine(v2, Long.MAX_VALUE);
        first.init();
        first.decide();
        // Replays everything, then publishes: stop it by hand after the first aggregate.
        while (first.phase() == Phase.REPLAYING) {
            first.tick(Duration.ofMillis(500));
        }
        assertThat(first.phase()).isEqualTo(Phase.CURRENT);
        // Start over from a marker that says the first aggregate was published, the second not yet.
        published.clear();
        byte[] bFlagged = new String(store.get("b"), StandardCharsets.UTF_8)
                .replaceFirst("}$", ",\"rebuilding\":{\"commandId\":\"cmd-b-2\",\"timestamp\":0,\"target\":2}}")
                .getBytes(StandardCharsets.UTF_8);
        store.put("b", bFlagged);
        RebuildMarker done = marker();
        store.put(RebuildMarker.KEY, new RebuildMarker(2, Phase.PUBLISHING, 1, done.offset(), done.end(), "a", 2, 1,
                done.startedAt(), null).toBytes());

        var second = machine(v2, Long.MAX_VALUE);
        second.init();
        assertThat(second.phase()).isEqualTo(Phase.PUBLISHING);
        assertThat(second.refusal()).isNull();
        runToEnd(second);

        assertThat(published).extracting(Published::aggregateId).containsExactly("b");
        assertThat(marker().published()).isEqualTo(2);
    }

    @Test
    void aRecordReadTwiceIsAppliedOnce() {
        event("a", 1, new Opened("alice"));
        event("a", 2, new Deposited(3));
        event("a", 2, new Deposited(3));
        event("a", 3, new Deposited(1));
        var machine = machine(v1, Long.MAX_VALUE);
        machine.init();
        runToEnd(machine);

        assertThat(stored(v1, "a")).isEqualTo(new Snapshot<>("a", 3, new Account(Account.Status.OPEN, "alice", 4)));
    }

    @Test
    void aVersionGapFailsNamingTheAggregateVersionsAndOffset() {
        event("a", 1, new Opened("alice"));
        event("a", 3, new Deposited(3));
        var machine = machine(v1, Long.MAX_VALUE);
        machine.init();
        runToEnd(machine);

        assertThat(machine.phase()).isEqualTo(Phase.FAILED);
        assertThat(machine.refusal()).isEqualTo("partition 3 of account cannot rebuild its snapshots for state version 1:"
                + " aggregate a has event version 3 at account-events-3@1 after version 1: versions 2 to 2 are missing;"
                + " commands wait until this is fixed");
        assertThat(published).isEmpty();
    }

    @Test
    void deletedEventsFailLoudlyInsteadOfAPartialFold() {
        event("a", 1, new Opened("alice"));
        event("a", 2, new Deposited(3));
        beginning = 1;
        var machine = machine(v1, Long.MAX_VALUE);
        machine.init();
        machine.decide();

        assertThat(machine.phase()).isEqualTo(Phase.FAILED);
        assertThat(machine.refusal()).contains("events before offset 1 of account-events-3@1 were deleted");
        assertThat(store.get("a")).isNull();
    }

    @Test
    void eventsShorterThanTheOldSnapshotFailAsMissing() {
        historyAtV1();
        storeSnapshot(v1, "a", 9, new Account(Account.Status.OPEN, "alice", 99));
        var machine = machine(v2, Long.MAX_VALUE);
        machine.init();
        runToEnd(machine);

        assertThat(machine.phase()).isEqualTo(Phase.FAILED);
        assertThat(machine.refusal()).contains("aggregate a was at version 9 before the rebuild but its events in"
                + " account-events-3 reach only version 3: events are missing");
    }

    @Test
    void aSnapshotOfANewerStateVersionIsRefusedNotOverwritten() {
        store.put(RebuildMarker.KEY, RebuildMarker.current(3, 2).toBytes());
        var machine = machine(v2, Long.MAX_VALUE);
        machine.init();
        machine.tick(Duration.ofMillis(500));

        assertThat(machine.phase()).isEqualTo(Phase.REFUSING_NEWER);
        assertThat(machine.working()).isFalse();
        assertThat(machine.refusal()).isEqualTo("partition 3 of account holds snapshots of state version 3, newer than"
                + " this build's 2: run a build of state version 3 or later");
        assertThat(marker().stateVersion()).isEqualTo(3);
        assertThat(logsOpened).isZero();
    }

    @Test
    void anUnreachableLogIsRetriedAtTheNextTick() {
        historyAtV1();
        logFailure = new KafkaException("broker down");
        var machine = machine(v2, Long.MAX_VALUE);
        machine.init();
        machine.tick(Duration.ofMillis(500));
        assertThat(machine.phase()).isEqualTo(Phase.STARTING);
        assertThat(machine.refusal()).contains("cannot read account-events since");
        int opened = logsOpened;
        machine.decide();
        assertThat(logsOpened).as("a command does not retry an unreachable log; ticks do").isEqualTo(opened);

        logFailure = null;
        runToEnd(machine);
        assertThat(machine.phase()).isEqualTo(Phase.CURRENT);
    }

    @Test
    void anUnreadableStoredSnapshotFailsTheRebuildInsteadOfTheStreamThread() {
        event("a", 1, new Opened("alice"));
        store.put("a", "{\"aggregateId\":\"a\",\"version\":1,\"stateVersion\":2,\"type\":\"Nope\",\"state\":{}}"
                .getBytes(StandardCharsets.UTF_8));
        store.put(RebuildMarker.KEY, RebuildMarker.current(1, 1).toBytes());
        var machine = machine(v2, Long.MAX_VALUE);
        machine.init();
        runToEnd(machine);

        assertThat(machine.phase()).isEqualTo(Phase.FAILED);
        assertThat(machine.refusal()).contains("the stored snapshot of aggregate a cannot be read");
    }

    @Test
    void anUnreadableMarkerFailsTheRebuildInsteadOfTheStreamThread() {
        store.put(RebuildMarker.KEY, "{".getBytes(StandardCharsets.UTF_8));
        var machine = machine(v2, Long.MAX_VALUE);
        machine.init();

        assertThat(machine.phase()).isEqualTo(Phase.FAILED);
        assertThat(machine.refusal()).contains("the rebuild marker of the snapshot store (key \"\") cannot be read");
    }
}
