package io.eventfold.testkit;

import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.AccountEvent.Deposited;
import io.eventfold.core.account.AccountEvent.Opened;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.testkit.trial.TrialCommand.Start;
import io.eventfold.testkit.trial.TrialCommand.Subscribe;
import io.eventfold.testkit.trial.TrialEvent;
import io.eventfold.testkit.trial.TrialEvent.Ended;
import io.eventfold.testkit.trial.Trials;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static io.eventfold.testkit.EventfoldAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** A deadline and a process manager on a real broker, run by the extension with the types they connect. */
class WorkflowsOnBrokerIT {

    @RegisterExtension
    static final EventfoldKafka kafka = EventfoldKafka.running(Trials.TYPE, Trials.ACCOUNTS, Trials.TRIAL_ACCOUNTS)
            .withStreamsProperty(EventfoldConfig.DEADLINE_TICK_MS_CONFIG, "100");

    @Test
    void shouldFireADeadlineOnTheWallClock() {
        Instant end = Instant.now().plusSeconds(1);
        assertThat(kafka.gateway(Trials.TYPE).send("trial-broker-1", new Start(end), ExpectedVersion.noStream()).join()).isAccepted();

        List<Event<TrialEvent>> events = committedEvents(Trials.TYPE, "trial-broker-1", event -> event.payload() instanceof Ended);

        assertThat(events).as("committed events of trial-broker-1").last().satisfies(ended -> {
            assertThat(ended.payload()).isEqualTo(new Ended());
            assertThat(ended.commandId()).isEqualTo("trial-broker-1/deadline/end/1");
        });
    }

    @Test
    void shouldRunTheProcessManagerBetweenTheTypes() {
        var trials = kafka.gateway(Trials.TYPE);
        trials.send("trial-broker-2", new Start(Instant.now().plus(Duration.ofDays(30))), ExpectedVersion.noStream()).join();
        trials.send("trial-broker-2", new Subscribe(), ExpectedVersion.exactly(1)).join();

        List<Event<io.eventfold.core.account.AccountEvent>> events =
                committedEvents(Trials.ACCOUNTS, "acc-trial-broker-2", event -> event.payload() instanceof Deposited);

        assertThat(events).extracting(Event::payload).as("committed events of acc-trial-broker-2")
                .containsExactly(new Opened("trial-broker-2"), new Deposited(10));
        assertThat(events).extracting(Event::commandId)
                .containsExactly("trial-accounts/trial/trial-broker-2/2/0", "trial-accounts/trial/trial-broker-2/2/1");
    }

    /** Reads a type's events topic with read_committed until an event of the aggregate matches {@code last}. */
    private static <E> List<Event<E>> committedEvents(AggregateType<?, E, ?> type, String aggregateId, Predicate<Event<E>> last) {
        List<Event<E>> events = new ArrayList<>();
        try (KafkaConsumer<String, Event<E>> consumer = new KafkaConsumer<>(
                EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "events-" + UUID.randomUUID()),
                new StringDeserializer(), type.serdes().events().deserializer())) {
            consumer.subscribe(List.of(type.topics().events()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((events.isEmpty() || !last.test(events.get(events.size() - 1))) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Event<E>> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(aggregateId)) {
                        events.add(record.value());
                    }
                }
            }
        }
        return events;
    }
}
