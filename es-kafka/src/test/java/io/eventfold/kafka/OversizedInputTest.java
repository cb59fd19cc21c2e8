package io.eventfold.kafka;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.ErrorText;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.internal.OutputLimits;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static io.eventfold.kafka.TopologyHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input far larger than an answer may be: error texts are bounded, every output record (key,
 * value and headers) is held to its topic's limit, and a dead letter that would not fit names
 * its source instead of copying it. A real broker shows the same in {@code OversizedInputIT}.
 */
class OversizedInputTest {

    private static final int LIMIT = 50_000;

    @TempDir
    Path stateDir;

    @Test
    void shouldAnswerAnUnreadableCommandOfManyTimesTheLimitWithABoundedFailure() {
        try (TopologyTestDriver driver = driver(Map.of())) {
            TopologyHarness<AccountCommand, AccountEvent, Account> account = harness(driver);

            account.sendRaw("acc-1", utf8(envelope("c1", "acc-1", typeArrayOf(4 * LIMIT))), null);
            account.send(Command.of("acc-1", (AccountCommand) new AccountCommand.Open("ann")).withCommandId("c2"));

            var results = account.readResults();
            assertThat(results.get(0)).isInstanceOfSatisfying(CommandResult.Failed.class, failed -> {
                assertThat(failed.commandId()).isEqualTo("c1");
                assertThat(failed.message()).hasSizeLessThan(ErrorText.MAX_LENGTH + 40).endsWith("more characters)");
            });
            assertThat(results.get(1)).isInstanceOf(CommandResult.Accepted.class);
            assertThat(account.deadLetters.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldDeadLetterACommandWhoseIdAloneMakesItsAnswerTooLarge() {
        String hugeId = "c".repeat(30_000);
        try (TopologyTestDriver driver = driver(Map.of())) {
            TopologyHarness<AccountCommand, AccountEvent, Account> account = harness(driver);

            account.send(Command.of("acc-1", (AccountCommand) new AccountCommand.Open("ann")).withCommandId(hugeId));
            account.send(Command.of("acc-1", (AccountCommand) new AccountCommand.Open("ann")).withCommandId("c2"));

            TestRecord<String, byte[]> dead = account.deadLetters.readRecord();
            assertThat(dead.key()).isEqualTo("acc-1");
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).contains(hugeId);
            assertThat(header(dead, EventfoldHeaders.ERROR_TYPE)).isEqualTo(RecordTooLargeException.class.getName());
            assertThat(header(dead, EventfoldHeaders.ERROR)).contains("cannot be answered (FAILED at version 0)")
                    .contains("over the 48,976 bytes allowed (the producer's max.request.size of 50,000 less 1,024 kept free")
                    .hasSizeLessThan(ErrorText.MAX_LENGTH + 40);
            assertThat(header(dead, EventfoldHeaders.SOURCE)).isEqualTo("account-commands-0@0");
            assertThat(account.readResults()).singleElement().satisfies(result -> {
                assertThat(result.commandId()).isEqualTo("c2");
                assertThat(result).isInstanceOf(CommandResult.Accepted.class);
            });
            assertThat(account.events.readValuesToList()).singleElement().satisfies(event ->
                    assertThat(event.commandId()).isEqualTo("c2"));
        }
    }

    @Test
    void shouldNameTheSourceOfADeadLetterTooLargeToCopy() {
        String hugeId = "c".repeat(30_000);
        try (TopologyTestDriver driver = driver(Map.of())) {
            TopologyHarness<AccountCommand, AccountEvent, Account> account = harness(driver);

            account.sendRaw("acc-1", utf8(envelope(hugeId, "acc-1", "\"Open\"")), hugeId);

            TestRecord<String, byte[]> dead = account.deadLetters.readRecord();
            assertThat(dead.key()).isNull();
            assertThat(dead.value()).isNull();
            assertThat(header(dead, EventfoldHeaders.SOURCE)).isEqualTo("account-commands-0@0");
            assertThat(header(dead, EventfoldHeaders.ERROR))
                    .startsWith("the dead letter would be a record of ")
                    .contains("so it names the command record at account-commands-0@0 instead of copying it");
            assertThat(account.results.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldHoldAnOutputToItsTopicsMaxMessageBytesWhenThatIsSmaller() {
        Map<String, Object> smallEvents = OutputLimits.asConfigs(Map.of("account-events", 1_500));
        try (TopologyTestDriver driver = driver(smallEvents)) {
            TopologyHarness<AccountCommand, AccountEvent, Account> account = harness(driver);

            account.send(Command.of("acc-1", (AccountCommand) new AccountCommand.Open("a".repeat(500))).withCommandId("c1"));
            account.send(Command.of("acc-1", (AccountCommand) new AccountCommand.Open("ann")).withCommandId("c2"));

            var results = account.readResults();
            assertThat(results.get(0)).isInstanceOfSatisfying(CommandResult.Failed.class, failed -> {
                assertThat(failed.errorType()).isEqualTo(RecordTooLargeException.class.getName());
                assertThat(failed.message()).matches("the event version 1 would be a record of \\d+ bytes on account-events, "
                        + "over the 476 bytes allowed \\(the topic's max.message.bytes of 1,500 less 1,024 kept free for "
                        + "compression framing\\); nothing was applied");
            });
            assertThat(results.get(1).version()).isEqualTo(1);
        }
    }

    private TopologyTestDriver driver(Map<String, Object> extra) {
        Properties props = new Properties();
        props.put("producer.max.request.size", LIMIT);
        props.putAll(extra);
        return TopologyHarness.driver(stateDir, props, EventSourcedTopologyTest.accounts("account"));
    }

    private static TopologyHarness<AccountCommand, AccountEvent, Account> harness(TopologyTestDriver driver) {
        return new TopologyHarness<>(driver, EventSourcedTopologyTest.accounts("account"));
    }

    /** A command type that is no type name at all: an array of short strings, as long as asked. */
    static String typeArrayOf(int chars) {
        StringBuilder type = new StringBuilder("[");
        while (type.length() < chars) {
            type.append(type.length() == 1 ? "" : ",").append("\"Open\"");
        }
        return type.append(']').toString();
    }

    static String envelope(String commandId, String aggregateId, String typeJson) {
        return "{\"commandId\":\"" + commandId + "\",\"aggregateId\":\"" + aggregateId
                + "\",\"expectedVersion\":\"any\",\"type\":" + typeJson + ",\"payload\":{\"owner\":\"x\"}}";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
