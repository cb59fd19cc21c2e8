package io.eventfold.kafka.internal;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.Deposit;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventSourcedTopologyTest;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoded snapshots a processor keeps mirror its store and never outlive a rollback: Kafka
 * Streams closes a task's processors when it aborts their transaction, restores the store from its
 * changelog and initialises the same processors again.
 */
class CommandProcessorReinitTest {

    private static final AggregateType<AccountCommand, AccountEvent, Account> ACCOUNTS = EventSourcedTopologyTest.accounts("reinit");

    private MockProcessorContext<String, Routed> context;
    private KeyValueStore<String, byte[]> snapshots;
    private CommandProcessor<AccountCommand, AccountEvent, Account> processor;

    @BeforeEach
    void init() {
        Properties props = EventfoldConfig.streams("reinit-app", "localhost:9");
        props.put(EventLogs.CONFIG, EventLogs.empty());
        props.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir"));
        context = new MockProcessorContext<>(props);
        context.setCurrentSystemTimeMs(1_000);
        context.setCurrentStreamTimeMs(1_000);
        snapshots = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ACCOUNTS.stores().snapshots()),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        WindowStore<Bytes, byte[]> commandIds = Stores.windowStoreBuilder(Stores.inMemoryWindowStore(ACCOUNTS.stores().commandIds(),
                Duration.ofMinutes(20), Duration.ofMillis(1), false), Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        KeyValueStore<Bytes, byte[]> deadlines = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ACCOUNTS.stores().deadlines()),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        for (var store : List.of(snapshots, commandIds, deadlines)) {
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        processor = new CommandProcessor<>(ACCOUNTS, Set.of());
        processor.init(context);
    }

    @Test
    void shouldHandleTheCommandAfterARollbackAgainstTheRestoredStoreNotAgainstWhatItDecodedBefore() {
        process(new Command<>("open", "acc-1", ExpectedVersion.noStream(), new Open("ann"), Map.of()));
        byte[] committed = snapshots.get("acc-1");
        process(new Command<>("dep-1", "acc-1", ExpectedVersion.any(), new Deposit(5), Map.of()));
        assertThat(lastResult().version()).isEqualTo(2);

        // The transaction of dep-1 aborts: the task's processors are closed, its snapshot store is
        // restored to what was committed, and the same processors are initialised again.
        processor.close();
        snapshots.put("acc-1", committed);
        processor.init(context);

        process(new Command<>("dep-2", "acc-1", ExpectedVersion.any(), new Deposit(5), Map.of()));
        CommandResult<AccountEvent, Account> again = lastResult();
        assertThat(again.version()).as("handled against version 1, as restored").isEqualTo(2);
        assertThat(((CommandResult.Accepted<AccountEvent, Account>) again).state()).contains(new Account(Account.Status.OPEN, "ann", 5));
    }

    @Test
    void shouldReadTheStoreAgainOnceTheCacheIsFullAndKeepAnsweringFromIt() {
        Properties props = EventfoldConfig.streams("reinit-app", "localhost:9");
        props.put(EventLogs.CONFIG, EventLogs.empty());
        props.put(EventfoldConfig.STATE_CACHE_AGGREGATES_CONFIG, 2);
        MockProcessorContext<String, Routed> small = new MockProcessorContext<>(props);
        small.setCurrentSystemTimeMs(1_000);
        small.setCurrentStreamTimeMs(1_000);
        for (var name : List.of(ACCOUNTS.stores().snapshots(), ACCOUNTS.stores().commandIds(), ACCOUNTS.stores().deadlines())) {
            small.addStateStore(context.getStateStore(name));
        }
        processor.close();
        processor.init(small);
        context = small;
        for (int i = 0; i < 5; i++) {
            process(new Command<>("open-" + i, "acc-" + i, ExpectedVersion.noStream(), new Open("o" + i), Map.of()));
        }
        for (int i = 0; i < 5; i++) {
            process(new Command<>("dep-" + i, "acc-" + i, ExpectedVersion.exactly(1), new Deposit(i), Map.of()));
            assertThat(lastResult().kind()).as("acc-" + i).isEqualTo(CommandResult.Kind.ACCEPTED);
            assertThat(((CommandResult.Accepted<AccountEvent, Account>) lastResult()).state())
                    .contains(new Account(Account.Status.OPEN, "o" + i, i));
        }
    }

    private void process(Command<AccountCommand> command) {
        context.resetForwards();
        RecordHeaders headers = new RecordHeaders();
        EventfoldHeaders.askForState(headers);
        processor.process(new Record<>(command.aggregateId(), ACCOUNTS.serdes().commands().serializer().serialize("", command), 0L,
                headers));
    }

    private CommandResult<AccountEvent, Account> lastResult() {
        return context.forwarded().stream().map(forwarded -> forwarded.record().value())
                .filter(routed -> routed.topic().equals(ACCOUNTS.topics().commandResults()))
                .map(routed -> ACCOUNTS.serdes().results().deserializer().deserialize("", routed.value()))
                .reduce((first, second) -> second).orElseThrow();
    }
}
