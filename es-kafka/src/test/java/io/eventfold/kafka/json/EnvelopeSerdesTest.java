package io.eventfold.kafka.json;

import io.eventfold.kafka.EnvelopeFormatException;
import io.eventfold.kafka.EventSourcedTopologyTest;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Rejection;
import io.eventfold.core.Snapshot;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeSerdesTest {

    private static final Instant AT = Instant.parse("2026-11-22T08:00:00Z");

    private final EnvelopeSerdes<AccountCommand, AccountEvent, Account> serdes =
            EventSourcedTopologyTest.accounts("account").serdes();

    private <T> String write(org.apache.kafka.common.serialization.Serde<T> serde, T value) {
        return new String(serde.serializer().serialize("t", value), StandardCharsets.UTF_8);
    }

    private <T> T read(org.apache.kafka.common.serialization.Serde<T> serde, String json) {
        return serde.deserializer().deserialize("t", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldWriteTheEventEnvelope() {
        Event<AccountEvent> event = new Event<>("acc-1", 3, "c-9", AT, new AccountEvent.Deposited(25));

        String json = write(serdes.events(), event);

        assertThat(json).isEqualTo("{\"aggregateId\":\"acc-1\",\"version\":3,\"type\":\"Deposited\",\"commandId\":\"c-9\","
                + "\"timestamp\":\"2026-11-22T08:00:00Z\",\"payload\":{\"amount\":25}}");
        assertThat(read(serdes.events(), json)).isEqualTo(event);
    }

    @Test
    void shouldWriteTheCommandEnvelopeWithEachKindOfExpectedVersion() {
        Command<AccountCommand> command = new Command<>("c-1", "acc-1", ExpectedVersion.exactly(4),
                new AccountCommand.Withdraw(5), Map.of("user", "alice"));

        assertThat(write(serdes.commands(), command)).isEqualTo("{\"commandId\":\"c-1\",\"aggregateId\":\"acc-1\","
                + "\"expectedVersion\":4,\"type\":\"Withdraw\",\"payload\":{\"amount\":5},\"metadata\":{\"user\":\"alice\"}}");
        for (ExpectedVersion expected : List.of(ExpectedVersion.any(), ExpectedVersion.noStream(), ExpectedVersion.exactly(0))) {
            Command<AccountCommand> variant = command.withExpectedVersion(expected).withMetadata(Map.of());
            assertThat(read(serdes.commands(), write(serdes.commands(), variant))).isEqualTo(variant);
        }
        assertThat(write(serdes.commands(), command.withExpectedVersion(ExpectedVersion.noStream()).withMetadata(Map.of())))
                .contains("\"expectedVersion\":\"noStream\"").doesNotContain("metadata");
    }

    @Test
    void shouldReadACommandWithoutExpectedVersionAsAny() {
        Command<AccountCommand> command = read(serdes.commands(),
                "{\"commandId\":\"c-1\",\"aggregateId\":\"acc-1\",\"type\":\"Close\",\"payload\":{}}");

        assertThat(command).isEqualTo(new Command<>("c-1", "acc-1", ExpectedVersion.any(), new AccountCommand.Close(), Map.of()));
    }

    @Test
    void shouldRoundTripSnapshotsAndEveryKindOfResult() {
        Snapshot<Account> snapshot = new Snapshot<>("acc-1", 2, new Account(Account.Status.OPEN, "alice", 7));
        List<CommandResult<AccountEvent, Account>> results = List.of(
                new CommandResult.Accepted<>("c1", "acc-1", 2,
                        List.of(new Event<>("acc-1", 2, "c1", AT, new AccountEvent.Deposited(7))), snapshot.state()),
                new CommandResult.Accepted<>("c2", "acc-1", 2, List.of(), snapshot.state()),
                new CommandResult.Rejected<>("c3", "acc-1", 2, new Rejection("INSUFFICIENT_FUNDS", "balance is 7")),
                new CommandResult.Conflict<>("c4", "acc-1", 2, ExpectedVersion.noStream()),
                new CommandResult.Failed<>("c5", "acc-1", 2, "java.lang.IllegalStateException", "boom"),
                new CommandResult.AlreadyAccepted<>("c6", "acc-1", 2, 1),
                new CommandResult.AlreadyAccepted<>("c7", "acc-1", 2, 0));

        assertThat(read(serdes.snapshots(), write(serdes.snapshots(), snapshot))).isEqualTo(snapshot);
        for (CommandResult<AccountEvent, Account> result : results) {
            assertThat(read(serdes.results(), write(serdes.results(), result))).isEqualTo(result);
        }
        assertThat(write(serdes.results(), results.get(2))).isEqualTo("{\"kind\":\"REJECTED\",\"commandId\":\"c3\","
                + "\"aggregateId\":\"acc-1\",\"version\":2,\"rejection\":{\"code\":\"INSUFFICIENT_FUNDS\",\"message\":\"balance is 7\"}}");
        assertThat(write(serdes.results(), results.get(5))).isEqualTo("{\"kind\":\"ACCEPTED\",\"commandId\":\"c6\","
                + "\"aggregateId\":\"acc-1\",\"version\":2,\"eventCount\":1}");
    }

    @Test
    void shouldReadANullValueAsNull() {
        assertThat(serdes.events().deserializer().deserialize("t", null)).isNull();
        assertThat(serdes.events().serializer().serialize("t", null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{not json|command value is not JSON: Unexpected character",
            "{\"commandId\":\"c\"} trailing|command value is not JSON: Unrecognized token 'trailing'",
            "[1,2]|command must be a JSON object but was ARRAY",
            "{\"aggregateId\":\"a\",\"type\":\"Close\",\"payload\":{}}|command field 'commandId' must be a string but was missing",
            "{\"commandId\":\"c\",\"aggregateId\":\"a\",\"payload\":{}}|command field 'type' must be a string but was missing",
            "{\"commandId\":\"c\",\"aggregateId\":\"a\",\"type\":\"Close\"}|no JSON for AccountCommand type 'Close'",
            "{\"commandId\":\" \",\"aggregateId\":\"a\",\"type\":\"Close\",\"payload\":{}}|invalid command: commandId must not be blank",
            "{\"commandId\":\"c\",\"aggregateId\":\"a\",\"expectedVersion\":\"soon\",\"type\":\"Close\",\"payload\":{}}"
                    + "|field 'expectedVersion' must be \"any\", \"noStream\" or a version number but was \"soon\"",
            "{\"commandId\":\"c\",\"aggregateId\":\"a\",\"expectedVersion\":18446744073709551616,\"type\":\"Close\",\"payload\":{}}"
                    + "|field 'expectedVersion' must be \"any\", \"noStream\" or a version number but was 18446744073709551616",
            "{\"commandId\":\"c\",\"aggregateId\":\"a\",\"type\":\"Close\",\"payload\":{},\"metadata\":{\"user\":null}}"
                    + "|command field 'metadata' must be an object of strings but 'user' is null",
    })
    void shouldSayWhatIsWrongWithAnUnreadableCommand(String caseText) {
        String[] parts = caseText.split("\\|");

        assertThatThrownBy(() -> read(serdes.commands(), parts[0]))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageStartingWith(parts[1]);
    }

    @Test
    void shouldRefuseAnUnknownResultKind() {
        assertThatThrownBy(() -> read(serdes.results(), "{\"kind\":\"MAYBE\",\"commandId\":\"c\",\"aggregateId\":\"a\",\"version\":0}"))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessage("unknown result kind 'MAYBE'; expected ACCEPTED, REJECTED, CONFLICT or FAILED");
    }
}
