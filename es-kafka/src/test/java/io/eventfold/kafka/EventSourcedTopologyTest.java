package io.eventfold.kafka;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.WindowStore;
import java.util.ArrayList;
import java.util.stream.Stream;
import java.nio.file.Files;
import java.io.IOException;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Rejection;
import io.eventfold.core.Snapshot;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.*;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.eventfold.kafka.TopologyHarness.START;
import static io.eventfold.kafka.TopologyHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

public class EventSourcedTopologyTest {

    public static AggregateType<AccountCommand, AccountEvent, Account> accounts(String name) {
        return AggregateType.builder(name, new AccountAggregate())
                .commands(AccountCommand.class)
                .events(AccountEvent.class)
                .state(Account.class)
                .commandIdRetention(Duration.ofMinutes(10))
                .build();
    }

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    TopologyHarness<AccountCommand, AccountEvent, Account> account;

    @BeforeEach
    void startDriver() {
        AggregateType<AccountCommand, AccountEvent, Account> type = accounts("account");
        driver = TopologyHarness.driver(stateDir, type);
        account = new TopologyHarness<>(driver, type);
    }

    /**
     * For a test that changes the snapshot store under the running processor, as only a crash and
     * a restart can: without decoded states kept in memory, which a restart would drop.
     */
    void restartWithoutStateCache() {
        driver.close();
        Properties noCache = new Properties();
        noCache.put(EventfoldConfig.STATE_CACHE_AGGREGATES_CONFIG, 0);
        driver = TopologyHarness.driver(stateDir, noCache, account.type);
        account = new TopologyHarness<>(driver, account.type);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    static Command<AccountCommand> command(String commandId, AccountCommand payload) {
        return new Command<>(commandId, "acc-1", ExpectedVersion.any(), payload, Map.of());
    }

    @Test
    void shouldEmitEventsSnapshotAndResultOfAnAcceptedCommand() {
        account.send(command("c1", new Open("alice")));
        account.send(command("c2", new DepositInParts(List.of(10L, 5L))));

        assertThat(account.events.readValuesToList()).containsExactly(
                new Event<>("acc-1", 1, "c1", START, new Opened("alice")),
                new Event<>("acc-1", 2, "c2", START, new Deposited(10)),
                new Event<>("acc-1", 3, "c2", START, new Deposited(5)));
        assertThat(account.snapshots.readKeyValuesToMap()).containsExactly(
                Map.entry("acc-1", new Snapshot<>("acc-1", 3, new Account(Account.Status.OPEN, "alice", 15))));
        List<CommandResult<AccountEvent, Account>> results = account.readResults();
        assertThat(results).extracting(CommandResult::kind, CommandResult::commandId, CommandResult::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(CommandResult.Kind.ACCEPTED, "c1", 1L),
                        org.assertj.core.groups.Tuple.tuple(CommandResult.Kind.ACCEPTED, "c2", 3L));
        CommandResult.Accepted<AccountEvent, Account> accepted = (CommandResult.Accepted<AccountEvent, Account>) results.get(1);
        assertThat(accepted.events()).extracting(Event::payload).containsExactly(new Deposited(10), new Deposited(5));
        assertThat(accepted.state()).as("nobody asked for the state").isEmpty();
    }

    @Test
    void shouldLeaveTheStateOutOfAResultUnlessTheCommandAsksForIt() {
        account.send(command("c1", new Open("alice")));
        account.sendAskingState(command("c2", new DepositInParts(List.of(10L, 5L))));

        List<TestRecord<String, byte[]>> records = account.results.readRecordsToList();
        String plain = new String(records.get(0).value(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(plain).contains("\"events\":[").doesNotContain("\"state\"").doesNotContain("\"stateType\"");
        CommandResult<AccountEvent, Account> asked = account.decode(records.get(1));
        assertThat(((CommandResult.Accepted<AccountEvent, Account>) asked).state())
                .contains(new Account(Account.Status.OPEN, "alice", 15));
    }

    @Test
    void shouldHeadEveryOutputWithCommandIdAndVersion() {
        account.send(command("c1", new Open("alice")));

        TestRecord<String, Event<AccountEvent>> event = account.events.readRecord();
        assertThat(event.key()).isEqualTo("acc-1");
        assertThat(header(event, EventfoldHeaders.COMMAND_ID)).isEqualTo("c1");
        assertThat(header(event, EventfoldHeaders.EVENT_TYPE)).isEqualTo("Opened");
        assertThat(header(event, EventfoldHeaders.VERSION)).isEqualTo("1");
        assertThat(event.getRecordTime()).isEqualTo(START);
        TestRecord<String, Snapshot<Account>> snapshot = account.snapshots.readRecord();
        assertThat(header(snapshot, EventfoldHeaders.VERSION)).isEqualTo("1");
        TestRecord<String, byte[]> result = account.results.readRecord();
        assertThat(header(result, EventfoldHeaders.COMMAND_ID)).isEqualTo("c1");
        assertThat(header(result, EventfoldHeaders.RESULT_KIND)).isEqualTo("ACCEPTED");
        assertThat(header(result, EventfoldHeaders.DUPLICATE)).isNull();
    }

    @Test
    void shouldAnswerARejectedCommandWithoutEventsOrSnapshot() {
        account.send(command("c1", new Withdraw(5)));

        assertThat(account.readResults()).containsExactly(
                new CommandResult.Rejected<>("c1", "acc-1", 0, new Rejection("NOT_OPEN", "account was never opened")));
        assertThat(account.events.isEmpty()).isTrue();
        assertThat(account.snapshots.isEmpty()).isTrue();
    }

    @Test
    void shouldAnswerAConflictWithTheActualVersion() {
        account.send(command("c1", new Open("alice")));
        account.send(command("c2", new Deposit(5)).withExpectedVersion(ExpectedVersion.noStream()));

        assertThat(account.readResults()).last().isEqualTo(
                new CommandResult.Conflict<>("c2", "acc-1", 1, ExpectedVersion.noStream()));
        assertThat(account.events.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldAnswerAFailureOfUserCodeAndKeepTheSnapshot() {
        account.send(command("c1", new Open("alice")));
        account.send(command("c2", new Misbehave(Fault.THROW_IN_EVOLVE)));
        account.send(command("c3", new Deposit(7)));

        List<CommandResult<AccountEvent, Account>> results = account.readResults();
        assertThat(results.get(1)).isEqualTo(
                new CommandResult.Failed<>("c2", "acc-1", 1, "java.lang.ArithmeticException", "evolve exploded"));
        assertThat(results.get(2).version()).isEqualTo(2);
        assertThat(account.events.readValuesToList()).extracting(Event::payload)
                .containsExactly(new Opened("alice"), new Deposited(7));
    }

    @Nested
    class Deduplication {

        @Test
        void shouldAnswerARedeliveredCommandFromMemoryAndDoNothingElse() {
            account.send(command("c1", new Open("alice")));
            account.send(command("c2", new Deposit(5)));
            account.results.readRecordsToList();
            account.events.readRecordsToList();
            account.snapshots.readRecordsToList();

            account.send(command("c2", new Deposit(5)));

            TestRecord<String, byte[]> again = account.results.readRecord();
            assertThat(account.decode(again)).isEqualTo(new CommandResult.AlreadyAccepted<>("c2", "acc-1", 2, 1));
            assertThat(header(again, EventfoldHeaders.DUPLICATE)).isEqualTo("true");
            assertThat(header(again, EventfoldHeaders.COMMAND_ID)).isEqualTo("c2");
            assertThat(header(again, EventfoldHeaders.VERSION)).isEqualTo("2");
            assertThat(header(again, EventfoldHeaders.RESULT_KIND)).isEqualTo("ACCEPTED");
            assertThat(account.results.isEmpty()).isTrue();
            assertThat(account.events.isEmpty()).isTrue();
            assertThat(account.snapshots.isEmpty()).isTrue();
        }

        @Test
        void shouldDeduplicateOnTheCommandIdWhateverThePayload() {
            account.send(command("c1", new Open("alice")));

            account.send(command("c1", new Open("mallory")));

            assertThat(account.readResults()).extracting(CommandResult::kind)
                    .containsExactly(CommandResult.Kind.ACCEPTED, CommandResult.Kind.ACCEPTED);
            assertThat(account.events.readValuesToList()).extracting(Event::payload).containsExactly(new Opened("alice"));
        }

        @Test
        void shouldTreatTheSameCommandIdForAnotherAggregateAsAnotherCommand() {
            account.send(command("c1", new Open("alice")));

            account.send(new Command<>("c1", "acc-2", ExpectedVersion.any(), new Open("bob"), Map.of()));

            assertThat(account.events.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("acc-1", "acc-2");
        }

        @Test
        void shouldForgetCommandIdsAfterTheRetention() {
            account.send(command("c1", new Open("alice")));
            driver.advanceWallClockTime(Duration.ofMinutes(9));
            account.send(command("c1", new Open("alice")));
            assertThat(header(account.results.readRecordsToList().get(1), EventfoldHeaders.DUPLICATE)).isEqualTo("true");

            // Remembered for at least the retention (10 minutes) and at most one and a half.
            driver.advanceWallClockTime(Duration.ofMinutes(7));
            account.send(command("c1", new Open("alice")));

            assertThat(account.readResults()).singleElement().isEqualTo(
                    new CommandResult.Rejected<>("c1", "acc-1", 1, new Rejection("ALREADY_OPEN", "account is OPEN")));
        }

        @Test
        void shouldKeepCommandIdsHandledLaterThanTheCutoff() {
            account.send(command("c1", new Open("alice")));
            driver.advanceWallClockTime(Duration.ofMinutes(6));
            account.send(command("c2", new Deposit(3)));
            driver.advanceWallClockTime(Duration.ofMinutes(5));

            account.send(command("c2", new Deposit(3)));

            List<TestRecord<String, byte[]>> results = account.results.readRecordsToList();
            assertThat(header(results.get(2), EventfoldHeaders.DUPLICATE)).isEqualTo("true");
            assertThat(account.events.readValuesToList()).hasSize(2);
        }

        @Test
        void shouldHandleARememberedCommandAgainWhenItsStateChangeDidNotReachTheSnapshotStore() {
            // What a crash under at_least_once can leave: the command id written through to its
            // changelog, the snapshot still in the cache and lost.
            restartWithoutStateCache();
            account.send(command("c1", new Open("alice")));
            Snapshot<Account> afterOpen = account.snapshots.readValue();
            account.send(command("c2", new Deposit(5)));
            KeyValueStore<String, byte[]> snapshots = driver.getKeyValueStore(account.type.stores().snapshots());
            snapshots.put("acc-1", account.type.serdes().snapshots().serializer().serialize("", afterOpen));
            account.results.readRecordsToList();
            account.events.readRecordsToList();

            account.send(command("c2", new Deposit(5)));

            TestRecord<String, byte[]> again = account.results.readRecord();
            assertThat(header(again, EventfoldHeaders.DUPLICATE)).isNull();
            assertThat(account.events.readValuesToList()).extracting(Event::version, Event::payload)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, new Deposited(5)));
            assertThat(account.type.serdes().snapshots().deserializer().deserialize("", snapshots.get("acc-1")).version()).isEqualTo(2);
        }

        @Test
        void shouldAnswerFromMemoryWhenTheStoredSnapshotCannotBeRead() {
            restartWithoutStateCache();
            account.send(command("c1", new Open("alice")));
            account.send(command("c2", new Deposit(5)));
            account.results.readRecordsToList();
            KeyValueStore<String, byte[]> snapshots = driver.getKeyValueStore(account.type.stores().snapshots());
            snapshots.put("acc-1", "{not a snapshot".getBytes(StandardCharsets.UTF_8));

            account.send(command("c2", new Deposit(5)));

            TestRecord<String, byte[]> again = account.results.readRecord();
            assertThat(header(again, EventfoldHeaders.DUPLICATE)).isEqualTo("true");
            assertThat(account.decode(again)).isEqualTo(new CommandResult.AlreadyAccepted<>("c2", "acc-1", 2, 1));
        }

        @Test
        void shouldAnswerFromMemoryWhenTheSnapshotHoldsTheRememberedChange() {
            account.send(command("c1", new Open("alice")));
            account.send(command("c2", new Withdraw(500)));
            account.results.readRecordsToList();

            account.send(command("c2", new Withdraw(500)));

            assertThat(header(account.results.readRecord(), EventfoldHeaders.DUPLICATE)).isEqualTo("true");
            assertThat(account.events.readValuesToList()).hasSize(1);
        }

        @Test
        void shouldAnswerAFailureWhenTheRememberedAnswerCannotBeRead() {
            account.send(command("c1", new Open("alice")));
            account.readResults();
            WindowStore<Bytes, byte[]> store = driver.getWindowStore(account.type.stores().commandIds());
            List<KeyValue<Windowed<Bytes>, byte[]>> entries = new ArrayList<>();
            try (KeyValueIterator<Windowed<Bytes>, byte[]> all = store.all()) {
                all.forEachRemaining(entries::add);
            }
            entries.forEach(entry -> store.put(entry.key.key(), new byte[] {42}, entry.key.window().start()));

            account.send(command("c1", new Open("alice")));
            account.send(command("c2", new Deposit(5)));

            List<CommandResult<AccountEvent, Account>> results = account.readResults();
            assertThat(results.get(0)).isInstanceOfSatisfying(CommandResult.Failed.class, failed -> assertThat(failed.message())
                    .startsWith("the remembered answer of this command cannot be read"));
            assertThat(results.get(1).kind()).isEqualTo(CommandResult.Kind.ACCEPTED);
            assertThat(account.events.readValuesToList()).extracting(Event::version).containsExactly(1L, 2L);
        }

        @Test
        void shouldRememberARejectionAndAConflictAsTheyWere() {
            account.send(command("c1", new Open("alice")));
            account.send(command("c2", new Open("bob")));
            account.send(new Command<>("c3", "acc-1", ExpectedVersion.exactly(7), new Deposit(1), Map.of()));
            List<CommandResult<AccountEvent, Account>> originals = account.readResults();

            account.send(command("c2", new Open("bob")));
            account.send(new Command<>("c3", "acc-1", ExpectedVersion.exactly(7), new Deposit(1), Map.of()));

            assertThat(account.readResults()).containsExactly(originals.get(1), originals.get(2));
        }

        /**
         * The store forgets by time segments, so it stays bounded at any rate: 150,000 commands
         * within each retention period, three periods in a row, and the store never holds more
         * than one and a half periods' worth, in at most three segments on disk. (Expiry that
         * removes at most 10,000 ids per punctuation, every tenth of the retention, forgets at most
         * 100,000 ids per period and falls behind here.)
         */
        @Test
        void shouldKeepTheCommandIdStoreBoundedAt150000CommandsPerRetentionPeriod() throws IOException {
            driver.close();
            AggregateType<AccountCommand, AccountEvent, Account> type = AggregateType.builder("busy", new AccountAggregate())
                    .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class)
                    .commandIdRetention(Duration.ofMinutes(2)).build();
            driver = TopologyHarness.driver(stateDir, type);
            TopologyHarness<AccountCommand, AccountEvent, Account> busy = new TopologyHarness<>(driver, type);
            busy.send(new Command<>("open", "acc-1", ExpectedVersion.any(), new Open("alice"), Map.of()));
            int perPeriod = 150_000;
            long periodMs = Duration.ofMinutes(2).toMillis();
            List<Integer> remembered = new ArrayList<>();
            for (int period = 0; period < 3; period++) {
                long elapsedMs = 0;
                for (int i = 0; i < perPeriod; i++) {
                    busy.send(new Command<>("p" + period + "-" + i, "acc-1", ExpectedVersion.any(), new Deposit(1), Map.of()));
                    // The commands spread evenly over the period, on the driver's millisecond clock.
                    long due = (i + 1L) * periodMs / perPeriod;
                    driver.advanceWallClockTime(Duration.ofMillis(due - elapsedMs));
                    elapsedMs = due;
                    if (i % 10_000 == 0) {
                        busy.results.readRecordsToList();
                        busy.events.readRecordsToList();
                        busy.snapshots.readRecordsToList();
                    }
                }
                remembered.add(entries(driver.getWindowStore(type.stores().commandIds())));
            }

            assertThat(remembered.get(0)).isEqualTo(perPeriod + 1);
            assertThat(remembered.subList(1, 3)).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(perPeriod * 3 / 2 + 1));
            assertThat(segments(type)).isLessThanOrEqualTo(3);
            busy.send(new Command<>("p2-99999", "acc-1", ExpectedVersion.any(), new Deposit(1), Map.of()));
            busy.send(new Command<>("p0-0", "acc-1", ExpectedVersion.any(), new Deposit(1), Map.of()));
            List<TestRecord<String, byte[]>> last = busy.results.readRecordsToList();
            assertThat(header(last.get(last.size() - 2), EventfoldHeaders.DUPLICATE)).isEqualTo("true");
            assertThat(header(last.get(last.size() - 1), EventfoldHeaders.DUPLICATE)).isNull();
        }

        private int entries(WindowStore<Bytes, byte[]> store) {
            int count = 0;
            try (KeyValueIterator<Windowed<Bytes>, byte[]> all = store.all()) {
                while (all.hasNext()) {
                    all.next();
                    count++;
                }
            }
            return count;
        }

        /** The segment directories of the command-id store that exist on disk. */
        private long segments(AggregateType<?, ?, ?> type) throws IOException {
            try (Stream<Path> files = Files.walk(stateDir)) {
                return files.filter(Files::isDirectory)
                        .filter(dir -> dir.getFileName().toString().startsWith(type.stores().commandIds() + "."))
                        .count();
            }
        }
    }

    @Test
    void shouldHandleTwoAggregateTypesInOneTopology() {
        driver.close();
        AggregateType<AccountCommand, AccountEvent, Account> checking = accounts("checking");
        AggregateType<AccountCommand, AccountEvent, Account> savings = accounts("savings");
        driver = TopologyHarness.driver(stateDir, checking, savings);
        TopologyHarness<AccountCommand, AccountEvent, Account> checkingTopics = new TopologyHarness<>(driver, checking);
        TopologyHarness<AccountCommand, AccountEvent, Account> savingsTopics = new TopologyHarness<>(driver, savings);

        checkingTopics.send(command("c1", new Open("alice")));
        savingsTopics.send(command("c1", new Open("alice")));
        savingsTopics.send(command("c2", new Deposit(100)));

        assertThat(checkingTopics.events.readValuesToList()).extracting(Event::version).containsExactly(1L);
        assertThat(savingsTopics.events.readValuesToList()).extracting(Event::version).containsExactly(1L, 2L);
        assertThat(checkingTopics.readResults()).hasSize(1);
        assertThat(savingsTopics.readResults()).hasSize(2);
    }

    @Nested
    class BadInput {

        private byte[] utf8(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        private byte[] envelope(String commandId, String aggregateId, String type) {
            return utf8("{\"commandId\":\"" + commandId + "\",\"aggregateId\":\"" + aggregateId
                    + "\",\"expectedVersion\":\"any\",\"type\":\"" + type + "\",\"payload\":{\"owner\":\"x\"}}");
        }

        @Test
        void shouldAnswerAnUndecodableValueWithAFailureWhenTheHeaderNamesTheCommand() {
            account.sendRaw("acc-1", utf8("{not json"), "c1");

            CommandResult<AccountEvent, Account> result = account.readResults().get(0);
            assertThat(result).isInstanceOfSatisfying(CommandResult.Failed.class, failed -> {
                assertThat(failed.commandId()).isEqualTo("c1");
                assertThat(failed.aggregateId()).isEqualTo("acc-1");
                assertThat(failed.errorType()).isEqualTo(EnvelopeFormatException.class.getName());
                assertThat(failed.message()).startsWith("command value is not JSON");
            });
            assertThat(account.deadLetters.isEmpty()).isTrue();
        }

        @Test
        void shouldDeadLetterAnUndecodableValueWithoutCommandId() {
            account.sendRaw("acc-1", utf8("{not json"), null);

            TestRecord<String, byte[]> dead = account.deadLetters.readRecord();
            assertThat(dead.key()).isEqualTo("acc-1");
            assertThat(dead.value()).isEqualTo(utf8("{not json"));
            assertThat(header(dead, EventfoldHeaders.ERROR)).contains("no command id").contains("not JSON");
            assertThat(header(dead, EventfoldHeaders.ERROR_TYPE)).isEqualTo(EnvelopeFormatException.class.getName());
            assertThat(header(dead, EventfoldHeaders.SOURCE)).isEqualTo("account-commands-0@0");
            assertThat(account.results.isEmpty()).isTrue();
        }

        @Test
        void shouldAnswerAnUnknownCommandTypeWithAFailure() {
            account.sendRaw("acc-1", envelope("c1", "acc-1", "Teleport"), null);

            assertThat(account.readResults()).singleElement().isInstanceOfSatisfying(CommandResult.Failed.class, failed ->
                    assertThat(failed.message()).isEqualTo("unknown AccountCommand type 'Teleport'; known types: "
                            + "[Open, Deposit, DepositInParts, Withdraw, Close, Misbehave]"));
        }

        @Test
        void shouldAnswerAMissingKeyWithAFailureKeyedByTheEnvelope() {
            account.sendRaw(null, envelope("c1", "acc-1", "Open"), null);

            TestRecord<String, byte[]> record = account.results.readRecord();
            assertThat(record.key()).isEqualTo("acc-1");
            assertThat(account.decode(record)).isInstanceOfSatisfying(CommandResult.Failed.class, failed ->
                    assertThat(failed.message()).isEqualTo("record has no key: commands must be keyed by their aggregate id ('acc-1')"));
            assertThat(account.events.isEmpty()).isTrue();
        }

        @Test
        void shouldAnswerABlankKeyWithAFailure() {
            account.sendRaw("  ", envelope("c1", "acc-1", "Open"), null);

            assertThat(account.readResults()).singleElement().isInstanceOfSatisfying(CommandResult.Failed.class, failed ->
                    assertThat(failed.message()).startsWith("record key is blank"));
        }

        @Test
        void shouldDeadLetterAMissingKeyWhenTheEnvelopeIsUnreadable() {
            account.sendRaw(null, utf8("garbage"), "c1");

            assertThat(header(account.deadLetters.readRecord(), EventfoldHeaders.ERROR)).startsWith("record has no key");
        }

        @Test
        void shouldAnswerAKeyThatDisagreesWithTheEnvelope() {
            account.sendRaw("acc-2", envelope("c1", "acc-1", "Open"), null);

            assertThat(account.readResults()).singleElement().isEqualTo(new CommandResult.Failed<>("c1", "acc-2", 0,
                    EnvelopeFormatException.class.getName(), "record key 'acc-2' does not match the envelope's aggregateId 'acc-1'"));
            assertThat(account.events.isEmpty()).isTrue();
        }

        @Test
        void shouldAnswerANullValueWithAFailureOrDeadLetterIt() {
            account.sendRaw("acc-1", null, "c1");
            account.sendRaw("acc-1", null, null);

            assertThat(account.readResults()).singleElement().isInstanceOfSatisfying(CommandResult.Failed.class, failed ->
                    assertThat(failed.message()).isEqualTo("command value is empty"));
            assertThat(account.deadLetters.readRecordsToList()).hasSize(1);
        }

        @Test
        void shouldAnswerAnEnvelopeWithAnInvalidFieldWithAFailure() {
            account.sendRaw("acc-1", utf8("{\"commandId\":\"c1\",\"aggregateId\":\"acc-1\",\"expectedVersion\":-3,"
                    + "\"type\":\"Open\",\"payload\":{\"owner\":\"x\"}}"), null);

            assertThat(account.readResults()).singleElement().isInstanceOfSatisfying(CommandResult.Failed.class, failed ->
                    assertThat(failed.message()).isEqualTo("field 'expectedVersion' must be >= 0 but was -3"));
        }

        @Test
        void shouldKeepHandlingValidCommandsAfterBadInput() {
            account.sendRaw("acc-1", utf8("\u0000\u0001binary"), null);
            account.sendRaw(null, null, null);
            account.sendRaw("acc-1", envelope("c1", "acc-1", "Nope"), null);

            account.send(command("c2", new Open("alice")));

            assertThat(account.events.readValuesToList()).extracting(Event::payload).containsExactly(new Opened("alice"));
            assertThat(account.readResults()).extracting(CommandResult::kind)
                    .containsExactly(CommandResult.Kind.FAILED, CommandResult.Kind.ACCEPTED);
            assertThat(account.deadLetters.readRecordsToList()).hasSize(2);
        }

        @Test
        void shouldHandleAFailedCommandAgainWhenItIsRedelivered() {
            account.sendRaw("acc-1", envelope("c1", "acc-1", "Nope"), null);
            account.sendRaw("acc-1", envelope("c1", "acc-1", "Nope"), null);

            List<TestRecord<String, byte[]>> results = account.results.readRecordsToList();
            assertThat(results).hasSize(2).allSatisfy(result -> {
                assertThat(header(result, EventfoldHeaders.DUPLICATE)).isNull();
                assertThat(header(result, EventfoldHeaders.RESULT_KIND)).isEqualTo("FAILED");
            });
        }

        @Test
        void shouldApplyARedeliveredCommandThatFailedBeforeOnceItCanBeHandled() {
            account.send(command("c1", new Open("alice")));
            account.send(command("c2", new Misbehave(AccountCommand.Fault.THROW_IN_DECIDE)));
            account.readResults();

            account.send(command("c2", new Deposit(5)));

            assertThat(account.readResults()).singleElement().extracting(CommandResult::kind).isEqualTo(CommandResult.Kind.ACCEPTED);
        }
    }
}
