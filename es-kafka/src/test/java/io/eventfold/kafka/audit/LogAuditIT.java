package io.eventfold.kafka.audit;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.Cluster;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.json.EnvelopeSerdes;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Rejection;
import io.eventfold.core.Snapshot;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit finds each kind of broken guarantee in topics written by hand to break them. */
class LogAuditIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    private static final Instant AT = Instant.parse("2026-11-22T08:00:00Z");

    @Test
    void shouldListEveryBrokenGuarantee() {
        AggregateType<AccountCommand, AccountEvent, Account> type = Cluster.accountsWithTopics(kafka, "broken", 1);
        EnvelopeSerdes<AccountCommand, AccountEvent, Account> serdes = type.serdes();
        Account open = new Account(Account.Status.OPEN, "alice", 0);
        CommandResult<AccountEvent, Account> rejected4 = new CommandResult.Rejected<>("c4", "acc-1", 1, new Rejection("NO", "no"));
        CommandResult<AccountEvent, Account> failed4 = new CommandResult.Failed<>("c4", "acc-1", 1, "java.lang.IllegalStateException", "bug");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(EventfoldConfig.commandProducer(kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (String id : List.of("c1", "c2", "c3", "c4")) {
                producer.send(new ProducerRecord<>(type.topics().commands(), "acc-1",
                        serdes.commands().serializer().serialize("", new Command<>(id, "acc-1", ExpectedVersion.any(),
                                new AccountCommand.Open("alice"), Map.of()))));
            }
            Event<AccountEvent> opened = new Event<>("acc-1", 1, "c1", AT, new AccountEvent.Opened("alice"));
            Event<AccountEvent> skipped = new Event<>("acc-1", 3, "c1", AT, new AccountEvent.Deposited(5));
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("",
                    new CommandResult.Accepted<>("c1", "acc-1", 1, List.of(opened), open)));
            CommandResult<AccountEvent, Account> rejected = new CommandResult.Rejected<>("c2", "acc-1", 1, new Rejection("NO", "no"));
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("", rejected));
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("", rejected));
            // c3 failed twice, then was handled: allowed, a failed command is not remembered.
            CommandResult<AccountEvent, Account> failed3 = new CommandResult.Failed<>("c3", "acc-1", 1, "java.lang.IllegalStateException", "bug");
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("", failed3));
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("", failed3));
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("",
                    new CommandResult.Rejected<>("c3", "acc-1", 1, new Rejection("NO", "no"))));
            // c4 failed after it was answered: a broken guarantee.
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("", rejected4));
            send(producer, type.topics().commandResults(), serdes.results().serializer().serialize("", failed4));
            send(producer, type.topics().events(), serdes.events().serializer().serialize("", opened));
            send(producer, type.topics().events(), serdes.events().serializer().serialize("", skipped));
            send(producer, type.topics().snapshots(), serdes.snapshots().serializer().serialize("", new Snapshot<>("acc-1", 1, open)));
            producer.flush();
        }

        AuditReport report = LogAudit.of(type).run(EventfoldConfig.readCommittedConsumer(kafka.bootstrapServers(), "audit"));

        assertThat(report.clean()).isFalse();
        assertThat(report.violations()).containsExactlyInAnyOrder(
                "command c2 has 2 results: [" + new CommandResult.Rejected<>("c2", "acc-1", 1, new Rejection("NO", "no")) + ", "
                        + new CommandResult.Rejected<>("c2", "acc-1", 1, new Rejection("NO", "no")) + "]",
                "command c4 has a result after its final one: [" + rejected4 + ", " + failed4 + "]",
                "aggregate acc-1: event #2 has version 3, expected 2 (command c1)",
                "aggregate acc-1: latest snapshot is version 1 but the last event is version 3",
                "aggregate acc-1: the state is not the replay of its 2 events",
                "command c1 (ACCEPTED) has 2 events on the events topic, its result says 1");
        assertThat(report.summary()).startsWith("commands 4, results 8 {ACCEPTED=1, REJECTED=4, FAILED=3} (+0 re-sent), "
                + "events 2 of 1 aggregates, dead letters 0: 6 violations");
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, byte[] value) {
        producer.send(new ProducerRecord<>(topic, "acc-1", value));
    }
}
