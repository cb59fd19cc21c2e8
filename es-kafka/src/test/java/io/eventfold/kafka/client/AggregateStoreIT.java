package io.eventfold.kafka.client;

import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Snapshot;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.Deposit;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.Cluster;
import io.eventfold.kafka.EventfoldStreams;
import io.eventfold.kafka.TopicLayout;
import io.eventfold.kafka.json.JsonCodec;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.eventfold.kafka.Cluster.accountsWithTopics;
import static io.eventfold.kafka.Cluster.streamsProps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading state from a running topology on a real broker: read-your-writes, past results, the owning instance. */
class AggregateStoreIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    @TempDir
    Path stateDir;

    @Test
    void shouldReadYourWritesAndFindPastResults() {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "query", 2);
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "query-app", stateDir), accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, accounts, Duration.ofSeconds(30));
             AggregateStore<AccountCommand, AccountEvent, Account> store = AggregateStore.of(streams, accounts)) {
            gateway.send("acc-1", new Open("alice"), ExpectedVersion.noStream()).join();
            CommandResult<AccountEvent, Account> deposited = gateway.send("acc-1", new Deposit(25), ExpectedVersion.exactly(1)).join();

            Snapshot<Account> snapshot = store.awaitVersion("acc-1", deposited.version(), Duration.ofSeconds(10)).join();

            assertThat(snapshot.version()).isEqualTo(2);
            assertThat(snapshot.state().balance()).isEqualTo(25);
            assertThat(store.commandResult("acc-1", deposited.commandId()))
                    .contains(new CommandResult.AlreadyAccepted<>(deposited.commandId(), "acc-1", 2, 1));
            assertThat(store.commandResult("acc-1", "never-sent")).isEmpty();
            assertThat(store.get("acc-unknown")).isEmpty();
            // An aggregate without events is at version 0: waiting for that ends at once.
            assertThat(store.awaitVersion("acc-unknown", 0, Duration.ofMillis(500)).join())
                    .isEqualTo(Snapshot.initial("acc-unknown", accounts.aggregate()));
            assertThatThrownBy(() -> store.awaitVersion("acc-1", 9, Duration.ofMillis(300)).join())
                    .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        }
    }

    @Test
    void shouldReadAWaitedForAggregateOnlyWhenItChanges() {
        StateReads reads = new StateReads();
        AggregateType<AccountCommand, AccountEvent, Account> accounts = withTopics(AggregateType
                .builder("waits", new AccountAggregate())
                .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class)
                .objectMapper(reads.mapper())
                .build());
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, "waits-app", stateDir), accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, accounts, Duration.ofSeconds(30));
             AggregateStore<AccountCommand, AccountEvent, Account> store = AggregateStore.of(streams, accounts)) {
            gateway.send("acc-1", new Open("alice"), ExpectedVersion.noStream()).join();
            gateway.send("acc-2", new Open("bob"), ExpectedVersion.noStream()).join();
            store.awaitVersion("acc-2", 1, Duration.ofSeconds(30)).join();
            int bobBefore = reads.of("bob");

            CompletableFuture<Snapshot<Account>> bobAtTwo = store.awaitVersion("acc-2", 2, Duration.ofSeconds(60));
            awaitCondition(() -> reads.of("bob") > bobBefore, "the waiter read acc-2 when it arrived");
            int bobWaiting = reads.of("bob");
            for (int i = 0; i < 5; i++) {
                gateway.send("acc-1", new Deposit(10), ExpectedVersion.any()).join();
            }
            store.awaitVersion("acc-1", 6, Duration.ofSeconds(30)).join();
            Cluster.sleep(500);   // room for reads that should not happen

            assertThat(reads.of("bob") - bobWaiting).as("reads of acc-2 while only acc-1 changed").isZero();
            assertThat(bobAtTwo).isNotDone();
            gateway.send("acc-2", new Deposit(7), ExpectedVersion.exactly(1)).join();
            Snapshot<Account> bob = bobAtTwo.join();
            assertThat(bob.version()).isEqualTo(2);
            assertThat(bob.state().balance()).isEqualTo(7);
            assertThatThrownBy(() -> store.awaitVersion("acc-1", 99, Duration.ofMillis(300)).join())
                    .cause().isInstanceOf(TimeoutException.class)
                    .hasMessage("aggregate acc-1 did not reach version 99 within 300 ms: the last version seen was 6");
        }
    }

    @Test
    void shouldNameTheInstanceThatOwnsAnAggregate(@TempDir Path otherStateDir) {
        AggregateType<AccountCommand, AccountEvent, Account> accounts = accountsWithTopics(kafka, "spread", 4);
        Properties oneProps = streamsProps(kafka, "spread-app", stateDir);
        oneProps.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:7001");
        Properties twoProps = streamsProps(kafka, "spread-app", otherStateDir);
        twoProps.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:7002");
        try (KafkaStreams one = EventfoldStreams.start(oneProps, accounts);
             KafkaStreams two = EventfoldStreams.start(twoProps, accounts);
             CommandGateway<AccountCommand, AccountEvent, Account> gateway = Cluster.gateway(kafka, accounts, Duration.ofSeconds(60))) {
            awaitBalanced(one, two);
            for (int a = 0; a < 8; a++) {
                gateway.send("acc-" + a, new Open("owner-" + a), ExpectedVersion.noStream()).join();
            }
            try (AggregateStore<AccountCommand, AccountEvent, Account> storeOne = AggregateStore.of(one, accounts);
                 AggregateStore<AccountCommand, AccountEvent, Account> storeTwo = AggregateStore.of(two, accounts)) {
                int elsewhere = 0;
                for (int a = 0; a < 8; a++) {
                    String id = "acc-" + a;
                    Optional<Snapshot<Account>> found;
                    try {
                        found = storeOne.get(id);
                    } catch (AggregateUnavailableException e) {
                        // Without a StoreTransport a store answers only for its own partitions, and names the owner.
                        elsewhere++;
                        assertThat(e).hasMessageContaining("hosted by localhost:7002").hasMessageContaining("no StoreTransport");
                        assertThat(e.aggregateId()).isEqualTo(id);
                        found = storeTwo.get(id);
                    }
                    assertThat(found).get().extracting(Snapshot::version).isEqualTo(1L);
                }
                assertThat(elsewhere).isBetween(1, 7);
            }
        }
    }

    private static <C, E, S> AggregateType<C, E, S> withTopics(AggregateType<C, E, S> type) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicLayout.of(type).create(admin, 2, (short) 1);
        }
        return type;
    }

    private static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 30 s").isLessThan(deadline);
            Cluster.sleep(20);
        }
    }

    /** Counts the account states Jackson builds, by owner: one per snapshot or result read. */
    static final class StateReads {

        private final Map<String, AtomicInteger> byOwner = new ConcurrentHashMap<>();

        int of(String owner) {
            AtomicInteger count = byOwner.get(owner);
            return count == null ? 0 : count.get();
        }

        ObjectMapper mapper() {
            SimpleModule counting = new SimpleModule();
            counting.setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                              JsonDeserializer<?> deserializer) {
                    return description.getBeanClass() == Account.class ? new Counting(deserializer) : deserializer;
                }
            });
            return JsonCodec.defaultObjectMapper().registerModule(counting);
        }

        private final class Counting extends DelegatingDeserializer {

            private static final long serialVersionUID = 1L;

            Counting(JsonDeserializer<?> delegate) {
                super(delegate);
            }

            @Override
            protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
                return new Counting(delegate);
            }

            @Override
            public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                Account account = (Account) super.deserialize(parser, context);
                byOwner.computeIfAbsent(account.owner(), owner -> new AtomicInteger()).incrementAndGet();
                return account;
            }
        }
    }

    private static void awaitBalanced(KafkaStreams one, KafkaStreams two) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (tasks(one) == 0 || tasks(two) == 0 || one.state() != KafkaStreams.State.RUNNING
                || two.state() != KafkaStreams.State.RUNNING) {
            assertThat(System.nanoTime()).as("both instances own tasks within 60 s").isLessThan(deadline);
            Cluster.sleep(100);
        }
    }

    private static long tasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().mapToLong(thread -> thread.activeTasks().size()).sum();
    }
}
