package io.eventfold.kafka;

import io.eventfold.core.Command;
import io.eventfold.core.CommandMetadata;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.InvalidMetadataException;
import io.eventfold.core.MetadataPolicy;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.DepositInParts;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountEvent;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command's metadata and correlation reach its events (envelope and headers), its snapshot and
 * its result records (headers), as the aggregate type's policy keeps them, through the topology.
 */
class EventMetadataTopologyTest {

    private static final Map<String, String> WHO = Map.of("user", "alice", "trace", "t-1");

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    private TopologyHarness<AccountCommand, AccountEvent, Account> start(MetadataPolicy policy) {
        AggregateType<AccountCommand, AccountEvent, Account> type = AggregateType.builder("account", new AccountAggregate())
                .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class)
                .commandIdRetention(Duration.ofMinutes(10)).metadata(policy).build();
        driver = TopologyHarness.driver(stateDir, type);
        return new TopologyHarness<>(driver, type);
    }

    private static Command<AccountCommand> open(Map<String, String> metadata) {
        return new Command<>("c1", "acc-1", ExpectedVersion.noStream(), new Open("alice"), metadata);
    }

    @Test
    void shouldCarryTheCommandsMetadataAndCorrelationToItsEventsSnapshotAndResult() {
        TopologyHarness<AccountCommand, AccountEvent, Account> account = start(MetadataPolicy.all());
        account.send(open(WHO));
        account.send(new Command<AccountCommand>("c2", "acc-1", ExpectedVersion.exactly(1), new DepositInParts(List.of(5L, 6L)), WHO)
                .withCorrelationId("c1"));

        List<TestRecord<String, Event<AccountEvent>>> events = account.events.readRecordsToList();
        assertThat(events.get(0).headers().lastHeader(EventfoldHeaders.CORRELATION_ID))
                .as("a command that starts its chain: the command-id header is the correlation id").isNull();
        assertThat(events).hasSize(3);
        assertThat(events).extracting(record -> record.value().metadata()).containsOnly(WHO);
        assertThat(events).extracting(record -> record.value().correlationId()).containsOnly("c1");
        assertThat(events).extracting(record -> record.value().causationId()).containsExactly("c1", "c2", "c2");
        for (TestRecord<String, Event<AccountEvent>> event : events) {
            assertThat(EventfoldHeaders.metadata(event.headers())).isEqualTo(WHO);
            assertThat(EventfoldHeaders.correlationId(event.headers())).contains("c1");
        }
        List<TestRecord<String, ?>> snapshotsAndResults = List.copyOf(account.snapshots.readRecordsToList());
        List<TestRecord<String, byte[]>> results = account.results.readRecordsToList();
        assertThat(snapshotsAndResults).hasSize(2);
        assertThat(results).hasSize(2);
        for (TestRecord<String, ?> record : List.of(snapshotsAndResults.get(1), results.get(1))) {
            assertThat(EventfoldHeaders.metadata(record.headers())).isEqualTo(WHO);
            assertThat(TopologyHarness.header(record, EventfoldHeaders.CORRELATION_ID)).as("another command started the chain").isEqualTo("c1");
        }
        CommandResult.Accepted<AccountEvent, Account> accepted = (CommandResult.Accepted<AccountEvent, Account>) account.decode(results.get(1));
        assertThat(accepted.events()).extracting(Event::metadata).containsOnly(WHO);
    }

    @Test
    void shouldWriteTheEnvelopeFieldsOnlyWhenThereIsSomething() {
        TopologyHarness<AccountCommand, AccountEvent, Account> account = start(MetadataPolicy.all());
        account.send(open(Map.of()));
        account.send(new Command<AccountCommand>("c2", "acc-1", ExpectedVersion.exactly(1), new DepositInParts(List.of(5L)), Map.of("user", "bob"))
                .withCorrelationId("order-9"));

        byte[] first = account.type.serdes().events().serializer().serialize("", account.events.readValue());
        byte[] second = account.type.serdes().events().serializer().serialize("", account.events.readValue());
        assertThat(new String(first, StandardCharsets.UTF_8)).doesNotContain("correlationId").doesNotContain("metadata");
        assertThat(new String(second, StandardCharsets.UTF_8))
                .contains("\"commandId\":\"c2\",\"correlationId\":\"order-9\",\"timestamp\"")
                .endsWith(",\"metadata\":{\"user\":\"bob\"}}");
    }

    @Test
    void shouldAnswerARedeliveryWithTheCorrelationAndMetadataOfItsCommand() {
        TopologyHarness<AccountCommand, AccountEvent, Account> account = start(MetadataPolicy.all());
        account.send(open(Map.of()));
        Command<AccountCommand> continuing = new Command<AccountCommand>("c2", "acc-1", ExpectedVersion.exactly(1),
                new DepositInParts(List.of(5L)), Map.of("user", "bob")).withCorrelationId("order-9");
        account.send(continuing);
        account.send(continuing);

        List<TestRecord<String, byte[]>> results = account.results.readRecordsToList();
        assertThat(results).hasSize(3);
        TestRecord<String, byte[]> resent = results.get(2);
        assertThat(EventfoldHeaders.isDuplicate(resent.headers())).isTrue();
        assertThat(EventfoldHeaders.correlationId(resent.headers())).as("not the command id: the chain it continues").contains("order-9");
        assertThat(EventfoldHeaders.metadata(resent.headers())).isEqualTo(Map.of("user", "bob"));
    }

    @Test
    void shouldDropWhatThePolicyDropsEverywhere() {
        TopologyHarness<AccountCommand, AccountEvent, Account> account = start(MetadataPolicy.only("user"));
        account.send(open(WHO));

        TestRecord<String, Event<AccountEvent>> event = account.events.readRecord();
        assertThat(event.value().metadata()).isEqualTo(Map.of("user", "alice"));
        assertThat(EventfoldHeaders.metadata(event.headers())).isEqualTo(Map.of("user", "alice"));
        assertThat(EventfoldHeaders.metadata(account.snapshots.readRecord().headers())).isEqualTo(Map.of("user", "alice"));
        TestRecord<String, byte[]> result = account.results.readRecord();
        assertThat(EventfoldHeaders.metadata(result.headers())).isEqualTo(Map.of("user", "alice"));
        assertThat(new String(result.value(), StandardCharsets.UTF_8)).doesNotContain("trace");
    }

    @Test
    void shouldAnswerOversizedMetadataWithAFailedResultAndRecordNothing() {
        TopologyHarness<AccountCommand, AccountEvent, Account> account = start(MetadataPolicy.all());
        account.send(open(Map.of("note", "x".repeat(CommandMetadata.MAX_VALUE_LENGTH + 1))));

        assertThat(account.events.isEmpty()).isTrue();
        assertThat(account.snapshots.isEmpty()).isTrue();
        TestRecord<String, byte[]> failedRecord = account.results.readRecord();
        assertThat(EventfoldHeaders.metadata(failedRecord.headers())).as("nothing of what made it fail").isEmpty();
        assertThat(List.of(account.decode(failedRecord))).singleElement().isInstanceOfSatisfying(CommandResult.Failed.class, failed -> {
            assertThat(failed.errorType()).isEqualTo(InvalidMetadataException.class.getName());
            assertThat(failed.message()).isEqualTo("command c1 for acc-1: metadata[note] has 1025 characters, at most 1024 are allowed");
        });
    }
}
