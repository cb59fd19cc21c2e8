package io.eventfold.kafka;

import org.apache.kafka.streams.TestOutputTopic;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Snapshot;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.Deposit;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.internal.CommandProcessor;
import io.eventfold.kafka.internal.EventLogs;
import io.eventfold.kafka.internal.InMemoryEventLog;
import io.eventfold.kafka.internal.RebuildMarker;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static io.eventfold.kafka.TopologyHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

/** The snapshot rebuild inside the topology, with the events log given as a list. */
class CommandProcessorRebuildTest {

    static AggregateType<AccountCommand, AccountEvent, Account> accounts(int stateVersion) {
        return AggregateType.builder("account", new AccountAggregate())
                .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class, stateVersion)
                .commandIdRetention(Duration.ofMinutes(10)).build();
    }

    @TempDir
    Path stateDir;

    final List<TopologyTestDriver> drivers = new ArrayList<>();
    final List<byte[]> eventLog = new ArrayList<>();
    final Map<String, byte[]> snapshotEntries = new TreeMap<>();
    final List<KeyValue<Windowed<Bytes>, byte[]>> commandIdEntries = new ArrayList<>();
    final Map<String, Account> finalStates = new LinkedHashMap<>();

    @AfterEach
    void close() {
        drivers.forEach(TopologyTestDriver::close);
    }

    TopologyTestDriver driver(AggregateType<?, ?, ?> type, long recordsPerTick) {
        Properties props = new Properties();
        props.put(EventLogs.CONFIG, (EventLogs) (topic, partition) -> new InMemoryEventLog(eventLog, 0, 3));
        props.put(CommandProcessor.TICK_RECORDS_CONFIG, Long.toString(recordsPerTick));
        // Each tick writes what it replayed, so a tick leaves a marker to resume at (buffering: RebuildMachineTest).
        props.put(CommandProcessor.BUFFER_CONFIG, "1");
        TopologyTestDriver driver = TopologyHarness.driver(stateDir.resolve("d" + drivers.size()), props, type);
        drivers.add(driver);
        return driver;
    }

    static Command<AccountCommand> command(String id, String commandId, AccountCommand payload) {
        return new Command<>(commandId, id, ExpectedVersion.any(), payload, Map.of());
    }

    /** Three accounts handled at state version 1; their events become the log, their stores are kept. */
    void historyAtV1() {
        AggregateType<AccountCommand, AccountEvent, Account> v1 = accounts(1);
        TopologyTestDriver driver = driver(v1, Long.MAX_VALUE);
        TopologyHarness<AccountCommand, AccountEvent, Account> account = new TopologyHarness<>(driver, v1);
        for (String id : List.of("a", "b", "c")) {
            account.send(command(id, id + "-open", new Open("owner-" + id)));
        }
        for (int i = 1; i <= 3; i++) {
            for (String id : List.of("a", "b")) {
                account.send(command(id, id + "-dep-" + i, new Deposit(i * 10L)));
            }
        }
        driver.createOutputTopic(v1.topics().events(), new StringDeserializer(), new ByteArrayDeserializer())
                .readValuesToList().forEach(eventLog::add);
        account.snapshots.readKeyValuesToMap().forEach((id, snapshot) -> finalStates.put(id, snapshot.state()));
        copyStores(driver, v1);
    }

    void copyStores(TopologyTestDriver driver, AggregateType<?, ?, ?> type) {
        snapshotEntries.clear();
        commandIdEntries.clear();
        KeyValueStore<String, byte[]> snapshots = driver.getKeyValueStore(type.stores().snapshots());
        try (KeyValueIterator<String, byte[]> all = snapshots.all()) {
            all.forEachRemaining(entry -> snapshotEntries.put(entry.key, entry.value));
        }
        WindowStore<Bytes, byte[]> ids = driver.getWindowStore(type.stores().commandIds());
        try (KeyValueIterator<Windowed<Bytes>, byte[]> all = ids.all()) {
            all.forEachRemaining(commandIdEntries::add);
        }
    }

    void restoreStores(TopologyTestDriver driver, AggregateType<?, ?, ?> type) {
        KeyValueStore<String, byte[]> snapshots = driver.getKeyValueStore(type.stores().snapshots());
        snapshotEntries.forEach(snapshots::put);
        WindowStore<Bytes, byte[]> ids = driver.getWindowStore(type.stores().commandIds());
        commandIdEntries.forEach(entry -> ids.put(entry.key.key(), entry.value, entry.key.window().start()));
    }

    RebuildMarker marker(TopologyTestDriver driver, AggregateType<?, ?, ?> type) {
        byte[] bytes = driver.<String, byte[]>getKeyValueStore(type.stores().snapshots()).get(RebuildMarker.KEY);
        return bytes == null ? null : RebuildMarker.fromBytes(bytes);
    }

    static void tick(TopologyTestDriver driver) {
        driver.advanceWallClockTime(Duration.ofMillis(CommandProcessor.DEFAULT_TICK_MS));
    }

    @Test
    void theMarkerKeyLivesInTheSnapshotStoreBesideTheAggregates() {
        historyAtV1();

        assertThat(snapshotEntries).containsOnlyKeys("", "a", "b", "c");
        assertThat(RebuildMarker.fromBytes(snapshotEntries.get(""))).isEqualTo(
                new RebuildMarker(1, RebuildStatus.Phase.CURRENT, 0, 0, 0, null, 0, 0, null, null));
    }

    @Test
    void commandsWaitDuringTheReplayAndAreHandledAgainstTheRebuiltStateAfterIt() {
        historyAtV1();
        AggregateType<AccountCommand, AccountEvent, Account> v2 = accounts(2);
        TopologyTestDriver driver = driver(v2, 4);
        restoreStores(driver, v2);
        TopologyHarness<AccountCommand, AccountEvent, Account> account = new TopologyHarness<>(driver, v2);

        account.send(command("a", "new-1", new Deposit(1)));
        account.send(command("b", "b-dep-2", new Deposit(20)));

        List<TestRecord<String, byte[]>> answers = account.results.readRecordsToList();
        CommandResult<AccountEvent, Account> waiting = account.decode(answers.get(0));
        assertThat(waiting).isEqualTo(new CommandResult.Failed<>("new-1", "a", 0,
                "io.eventfold.kafka.SnapshotsRebuildingException",
                "partition 0 of account is rebuilding its snapshots for state version 2: 0% (0 of 9 events); send again"));
        // A command handled before is still answered from memory while the partition rebuilds.
        assertThat(account.decode(answers.get(1))).isEqualTo(new CommandResult.AlreadyAccepted<>("b-dep-2", "b", 3, 1));
        assertThat(header(answers.get(1), EventfoldHeaders.DUPLICATE)).isNotNull();

        tick(driver);
        assertThat(marker(driver, v2).phase()).isEqualTo(RebuildStatus.Phase.REPLAYING);
        assertThat(marker(driver, v2).offset()).isEqualTo(4);
        account.send(command("a", "new-1", new Deposit(1)));
        assertThat(account.decode(account.results.readRecord()).toString()).contains("44% (4 of 9 events)");
        assertThat(account.events.isEmpty()).isTrue();

        for (int i = 0; i < 5; i++) {
            tick(driver);
        }
        assertThat(marker(driver, v2).phase()).isEqualTo(RebuildStatus.Phase.CURRENT);
        Map<String, TestRecord<String, Snapshot<Account>>> published = new TreeMap<>();
        List<TestRecord<String, Snapshot<Account>>> snapshots = account.snapshots.readRecordsToList();
        snapshots.forEach(record -> published.put(record.key(), record));
        assertThat(snapshots).hasSize(3);
        assertThat(published.keySet()).containsExactly("a", "b", "c");
        published.forEach((id, record) -> assertThat(record.value().state()).isEqualTo(finalStates.get(id)));
        assertThat(published.get("a").value().version()).isEqualTo(4);
        assertThat(header(published.get("a"), EventfoldHeaders.COMMAND_ID)).isEqualTo("a-dep-3");
        assertThat(header(published.get("a"), EventfoldHeaders.VERSION)).isEqualTo("4");
        assertThat(new String(driver.<String, byte[]>getKeyValueStore(v2.stores().snapshots()).get("a"), StandardCharsets.UTF_8))
                .contains("\"stateVersion\":2").doesNotContain("rebuilding");
        assertThat(SnapshotRebuilds.of("eventfold-test", v2).statuses()).singleElement().satisfies(status -> {
            assertThat(status.phase()).isEqualTo(RebuildStatus.Phase.CURRENT);
            assertThat(status.offsetsRead()).isEqualTo(9);
            assertThat(status.aggregates()).isEqualTo(3);
        });

        // The refused command was not remembered: sent again, it is handled against the rebuilt state.
        account.sendAskingState(command("a", "new-1", new Deposit(1)));
        CommandResult<AccountEvent, Account> accepted = account.decode(account.results.readRecord());
        assertThat(accepted.kind()).isEqualTo(CommandResult.Kind.ACCEPTED);
        assertThat(accepted.version()).isEqualTo(5);
        assertThat(((CommandResult.Accepted<AccountEvent, Account>) accepted).state().orElseThrow().balance())
                .isEqualTo(finalStates.get("a").balance() + 1);
    }

    @Test
    void aDeadlinesCommandThatMeetsARebuildingPartitionIsHeldBackAndFiresAgainOnceTheSnapshotsAreCurrent() {
        historyAtV1();
        AggregateType<AccountCommand, AccountEvent, Account> v2 = accounts(2);
        TopologyTestDriver driver = driver(v2, 4);
        restoreStores(driver, v2);
        TopologyHarness<AccountCommand, AccountEvent, Account> account = new TopologyHarness<>(driver, v2);
        TestOutputTopic<String, byte[]> commands = driver.createOutputTopic(v2.topics().commands(), new StringDeserializer(),
                new ByteArrayDeserializer());

        // As a deadline that fired before the deploy sends it: its own id, the deadline header.
        Command<AccountCommand> fired = command("a", "a/deadline/bonus/2", new Deposit(5));
        org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, fired.commandId());
        EventfoldHeaders.put(headers, EventfoldHeaders.DEADLINE, "bonus");
        account.commands.pipeInput(new TestRecord<>("a", v2.serdes().commands().serializer().serialize("", fired), headers,
                TopologyHarness.START));

        assertThat(account.results.isEmpty()).as("held back, not answered: nobody would send it again").isTrue();
        for (int i = 0; i < 6; i++) {
            tick(driver);
        }
        assertThat(marker(driver, v2).phase()).isEqualTo(RebuildStatus.Phase.CURRENT);
        // A partition holding a deadline back looks again every 5 s whether it may fire.
        driver.advanceWallClockTime(Duration.ofSeconds(6));

        TestRecord<String, byte[]> again = commands.readRecordsToList().stream()
                .filter(record -> header(record, EventfoldHeaders.DEADLINE_HELD_BACK) != null).findFirst().orElseThrow();
        assertThat(header(again, EventfoldHeaders.COMMAND_ID)).isEqualTo("a/deadline/bonus/2");
        assertThat(header(again, EventfoldHeaders.DEADLINE)).isEqualTo("bonus");
        CommandResult<AccountEvent, Account> result = account.decode(account.results.readRecord());
        assertThat(result.commandId()).isEqualTo("a/deadline/bonus/2");
        assertThat(result.kind()).isEqualTo(CommandResult.Kind.ACCEPTED);
        // A fired deadline's result carries no state (nobody asked): the snapshot it wrote shows it.
        assertThat(((CommandResult.Accepted<AccountEvent, Account>) result).state()).isEmpty();
        assertThat(account.snapshots.readRecordsToList()).last().satisfies(snapshot ->
                assertThat(snapshot.value().state().balance()).isEqualTo(finalStates.get("a").balance() + 5));
        assertThat(account.results.isEmpty()).isTrue();
    }

    @Test
    void aRestartResumesTheReplayAtItsMarker() {
        historyAtV1();
        AggregateType<AccountCommand, AccountEvent, Account> v2 = accounts(2);
        TopologyTestDriver first = driver(v2, 4);
        restoreStores(first, v2);
        tick(first);
        assertThat(marker(first, v2).offset()).isEqualTo(4);
        copyStores(first, v2);

        TopologyTestDriver second = driver(v2, Long.MAX_VALUE);
        restoreStores(second, v2);
        TopologyHarness<AccountCommand, AccountEvent, Account> account = new TopologyHarness<>(second, v2);
        account.send(command("c", "c-x", new Deposit(5)));
        assertThat(account.decode(account.results.readRecord()).toString()).contains("44% (4 of 9 events)");
        tick(second);

        assertThat(marker(second, v2).phase()).isEqualTo(RebuildStatus.Phase.CURRENT);
        Map<String, Snapshot<Account>> published = account.snapshots.readKeyValuesToMap();
        assertThat(published).hasSize(3);
        published.forEach((id, snapshot) -> assertThat(snapshot.state()).isEqualTo(finalStates.get(id)));
    }

    @Test
    void aCurrentPartitionRestartsWithoutRebuilding() {
        historyAtV1();
        AggregateType<AccountCommand, AccountEvent, Account> v1 = accounts(1);
        TopologyTestDriver driver = driver(v1, Long.MAX_VALUE);
        restoreStores(driver, v1);
        TopologyHarness<AccountCommand, AccountEvent, Account> account = new TopologyHarness<>(driver, v1);

        account.send(command("c", "c-x", new Deposit(5)));

        assertThat(account.decode(account.results.readRecord()).kind()).isEqualTo(CommandResult.Kind.ACCEPTED);
        tick(driver);
        assertThat(account.snapshots.readValuesToList()).extracting(Snapshot::version).containsExactly(2L);
    }
}
