package io.eventfold.kafka;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.Deposit;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.internal.ReplyAddress;
import io.eventfold.kafka.internal.Routed;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.DriverRecords;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.eventfold.kafka.TopologyHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology copies a result to the reply address its command record names, in the same
 * transaction as the result. The test driver gives every topic one partition, so partition 0 is
 * the one address it can deliver to; the partitioner itself is tested on more.
 */
class ReplyRoutingTopologyTest {

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    TopologyHarness<AccountCommand, AccountEvent, Account> account;
    String replies;

    @BeforeEach
    void startDriver() {
        AggregateType<AccountCommand, AccountEvent, Account> type = EventSourcedTopologyTest.accounts("account");
        driver = TopologyHarness.driver(stateDir, type);
        account = new TopologyHarness<>(driver, type);
        replies = type.topics().replies();
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldCopyTheResultToTheReplyPartitionTheCommandNames() {
        send("c1", new Open("alice"), new ReplyAddress(replies, 0));

        TestRecord<String, byte[]> result = account.results.readRecord();
        ProducerRecord<byte[], byte[]> reply = DriverRecords.next(driver, replies);
        assertThat(reply).isNotNull();
        assertThat(reply.partition()).isEqualTo(0);
        assertThat(new String(reply.key(), StandardCharsets.UTF_8)).isEqualTo("acc-1");
        assertThat(reply.value()).isEqualTo(result.value());
        assertThat(header(reply.headers(), EventfoldHeaders.COMMAND_ID)).isEqualTo("c1");
        assertThat(header(reply.headers(), EventfoldHeaders.RESULT_KIND)).isEqualTo("ACCEPTED");
        assertThat(header(reply.headers(), EventfoldHeaders.VERSION)).isEqualTo("1");
        assertThat(account.decode(result)).isInstanceOf(CommandResult.Accepted.class);
        assertThat(DriverRecords.next(driver, replies)).isNull();
    }

    @Test
    void shouldAnswerACommandWithoutReplyAddressOnTheResultsTopicAlone() {
        send("c1", new Open("alice"), null);

        assertThat(account.readResults()).hasSize(1);
        assertThat(DriverRecords.next(driver, replies)).isNull();
    }

    @Test
    void shouldAnswerARedeliveryAtTheRedeliverysOwnAddress() {
        send("c1", new Open("alice"), null);
        account.results.readRecordsToList();

        send("c1", new Open("alice"), new ReplyAddress(replies, 0));

        TestRecord<String, byte[]> again = account.results.readRecord();
        ProducerRecord<byte[], byte[]> reply = DriverRecords.next(driver, replies);
        assertThat(reply).isNotNull();
        assertThat(reply.partition()).isEqualTo(0);
        assertThat(reply.value()).isEqualTo(again.value());
        assertThat(header(reply.headers(), EventfoldHeaders.DUPLICATE)).isEqualTo("true");

        send("c1", new Open("alice"), null);

        assertThat(account.readResults()).hasSize(1);
        assertThat(DriverRecords.next(driver, replies)).isNull();
    }

    @Test
    void shouldCopyTheAnswerOfARejectedCommandToo() {
        send("c1", new Deposit(5), new ReplyAddress(replies, 0));

        assertThat(account.readResults()).singleElement().isInstanceOf(CommandResult.Rejected.class);
        assertThat(DriverRecords.next(driver, replies)).isNotNull();
    }

    @Test
    void shouldWriteRepliesToTheTypesRepliesTopicOnly() {
        String events = account.type.topics().events();
        send("c1", new Open("alice"), new ReplyAddress(events, 0));

        assertThat(account.readResults()).hasSize(1);
        assertThat(account.events.readRecordsToList()).hasSize(1);
        assertThat(account.events.isEmpty()).isTrue();
        assertThat(DriverRecords.next(driver, replies)).isNull();
    }

    @Test
    void shouldDropAReplyToAPartitionTheTopicDoesNotHaveAndGoOn() {
        send("c1", new Open("alice"), new ReplyAddress(replies, 1));
        send("c2", new Deposit(5), new ReplyAddress(replies, 0));

        assertThat(account.readResults()).hasSize(2);
        ProducerRecord<byte[], byte[]> reply = DriverRecords.next(driver, replies);
        assertThat(header(reply.headers(), EventfoldHeaders.COMMAND_ID)).isEqualTo("c2");
        assertThat(DriverRecords.next(driver, replies)).isNull();
    }

    @Test
    void shouldSendRepliesToTheirPartitionAndEverythingElseByKey() {
        assertThat(Routed.PARTITIONER.partitions("account-replies", "acc-1", new Routed("account-replies", new byte[0], 5), 8))
                .isEqualTo(Optional.of(Set.of(5)));
        assertThat(Routed.PARTITIONER.partitions("account-replies", "acc-1", new Routed("account-replies", new byte[0], 8), 8))
                .isEqualTo(Optional.of(Set.of()));
        assertThat(Routed.PARTITIONER.partitions("account-events", "acc-1", new Routed("account-events", new byte[0]), 8))
                .isEmpty();
    }

    @Test
    void shouldReadOnlyAReplyAddressOfTheRepliesTopicWithAPartitionNumber() {
        assertThat(ReplyAddress.of(new ReplyAddress(replies, 3).putOn(new RecordHeaders()), replies))
                .contains(new ReplyAddress(replies, 3));
        assertThat(ReplyAddress.of(new ReplyAddress("other", 3).putOn(new RecordHeaders()), replies)).isEmpty();
        Headers noNumber = new RecordHeaders();
        EventfoldHeaders.put(noNumber, EventfoldHeaders.REPLY_TOPIC, replies);
        EventfoldHeaders.put(noNumber, EventfoldHeaders.REPLY_PARTITION, "x");
        assertThat(ReplyAddress.of(noNumber, replies)).isEmpty();
        Headers negative = new RecordHeaders();
        EventfoldHeaders.put(negative, EventfoldHeaders.REPLY_TOPIC, replies);
        EventfoldHeaders.put(negative, EventfoldHeaders.REPLY_PARTITION, "-1");
        assertThat(ReplyAddress.of(negative, replies)).isEmpty();
        assertThat(ReplyAddress.of(new RecordHeaders(), replies)).isEmpty();
    }

    private void send(String commandId, AccountCommand payload, ReplyAddress address) {
        Command<AccountCommand> command = new Command<>(commandId, "acc-1", ExpectedVersion.any(), payload, Map.of());
        Headers headers = new RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, commandId);
        if (address != null) {
            address.putOn(headers);
        }
        account.commands.pipeInput(new TestRecord<>("acc-1",
                account.type.serdes().commands().serializer().serialize("", command), headers, START));
    }

    private static String header(Headers headers, String name) {
        return EventfoldHeaders.read(headers, name).orElse(null);
    }
}
