package io.eventfold.testkit;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.Deposit;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountCommand.Withdraw;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.Deposited;
import io.eventfold.core.account.AccountEvent.Opened;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.client.AggregateStore;
import io.eventfold.kafka.client.CommandGateway;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.eventfold.testkit.EventfoldAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The account topology on a real broker, started once for the class by the extension. */
class EventfoldKafkaIT {

    @RegisterExtension
    static final EventfoldKafka kafka = EventfoldKafka.running(Accounts.TYPE).partitions(2);

    @Test
    void shouldAcceptACommandFromTheGatewayAndCommitItsEvent() {
        CommandResult<AccountEvent, Account> result = kafka.gateway(Accounts.TYPE)
                .send("acc-opened", new Open("alice"), ExpectedVersion.noStream())
                .join();

        assertThat(result).isAccepted().hasVersion(1).hasEventPayloads(new Opened("alice"));
        assertThat(committedEvents("acc-opened", 1))
                .as("committed events of acc-opened on %s", Accounts.TYPE.topics().events())
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.version()).isEqualTo(1);
                    assertThat(event.commandId()).isEqualTo(result.commandId());
                    assertThat(event.payload()).isEqualTo(new Opened("alice"));
                });
    }

    @Test
    void shouldKeepTheStateBetweenCommandsAndRejectAnOverdraft() {
        CommandGateway<AccountCommand, AccountEvent, Account> gateway = kafka.gateway(Accounts.TYPE);
        gateway.send("acc-overdraft", new Open("bob"), ExpectedVersion.noStream()).join();
        gateway.send("acc-overdraft", new Deposit(10), ExpectedVersion.exactly(1)).join();

        CommandResult<AccountEvent, Account> overdraft = gateway.send("acc-overdraft", new Withdraw(50), ExpectedVersion.any()).join();

        assertThat(overdraft).isRejectedWith("INSUFFICIENT_FUNDS").hasVersion(2);
        assertThat(committedEvents("acc-overdraft", 2)).extracting(Event::payload)
                .as("committed events of acc-overdraft")
                .containsExactly(new Opened("bob"), new Deposited(10));
        try (AggregateStore<AccountCommand, AccountEvent, Account> store = AggregateStore.of(kafka.streams(), Accounts.TYPE)) {
            assertThat(store.get("acc-overdraft")).as("snapshot of acc-overdraft")
                    .hasValueSatisfying(snapshot -> assertThat(snapshot.state().balance()).isEqualTo(10));
        }
    }

    @Test
    void shouldRunTheTopologyUnderItsApplicationId() {
        assertThat(kafka.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(kafka.applicationId()).startsWith("eventfold-test-");
        assertThat(kafka.gateway(Accounts.TYPE)).as("one gateway per type").isSameAs(kafka.gateway(Accounts.TYPE));
    }

    @Test
    void shouldRefuseAGatewayOfATypeThatDoesNotRun() {
        assertThatThrownBy(() -> kafka.gateway(io.eventfold.kafka.AggregateType.builder("savings", new io.eventfold.core.account.AccountAggregate())
                .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("aggregate type savings is not running here; running are [account]");
    }

    @Nested
    class InANestedClass {

        @Test
        void shouldShareTheOuterClassTopology() {
            CommandResult<AccountEvent, Account> result = kafka.gateway(Accounts.TYPE)
                    .send("acc-nested", new Open("carol"), ExpectedVersion.noStream())
                    .join();

            assertThat(result).isAccepted().hasVersion(1);
        }
    }

    /** Reads the events topic with read_committed until the aggregate has {@code count} events. */
    private static List<Event<AccountEvent>> committedEvents(String aggregateId, int count) {
        List<Event<AccountEvent>> events = new ArrayList<>();
        try (KafkaConsumer<String, Event<AccountEvent>> consumer = new KafkaConsumer<>(
                EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "events-" + UUID.randomUUID()),
                new StringDeserializer(), Accounts.TYPE.serdes().events().deserializer())) {
            consumer.subscribe(List.of(Accounts.TYPE.topics().events()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (events.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Event<AccountEvent>> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(aggregateId)) {
                        events.add(record.value());
                    }
                }
            }
        }
        return events;
    }
}
