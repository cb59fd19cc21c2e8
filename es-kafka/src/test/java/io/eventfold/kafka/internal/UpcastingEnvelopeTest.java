package io.eventfold.kafka.internal;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EnvelopeFormatException;
import io.eventfold.kafka.json.StoredPayload;
import io.eventfold.kafka.json.Upcasters;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Commands, events and results' events are upcast before they become Java objects; writing uses the current version. */
class UpcastingEnvelopeTest {

    private static final Instant AT = Instant.parse("2026-11-22T08:00:00Z");
    private static final String HEAD = "{\"aggregateId\":\"acc-1\",\"version\":3,";
    private static final String TAIL = "\"commandId\":\"c-1\",\"timestamp\":\"2026-11-22T08:00:00Z\",";

    /** Deposited v1 called its amount "sum"; Credited was renamed Deposited; Transferred split; Audited dropped. */
    private static final Upcasters EVENTS = Upcasters.builder()
            .upcast("Deposited", 1, json -> {
                json.set("amount", json.remove("sum"));
                return json;
            })
            .rename("Credited", 1, "Deposited", 2)
            .upcastWith("Transferred", 1, stored -> List.of(
                    new StoredPayload("Withdrawn", 1, stored.json().deepCopy()),
                    new StoredPayload("Deposited", 2, stored.json().deepCopy())))
            .upcastWith("Audited", 1, stored -> List.of())
            .build();
    private static final Upcasters COMMANDS = Upcasters.builder()
            .rename("Credit", 1, "Deposit")
            .upcastWith("Twice", 1, stored -> List.of(stored.withType("Open"), stored.withType("Close")))
            .build();

    private final AggregateType<AccountCommand, AccountEvent, Account> plain = AggregateType.builder("account", new AccountAggregate())
            .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class).build();
    private final AggregateType<AccountCommand, AccountEvent, Account> upcasting = AggregateType.builder("account", new AccountAggregate())
            .commands(AccountCommand.class, COMMANDS).events(AccountEvent.class, EVENTS).state(Account.class).build();
    private final EnvelopeReader<AccountCommand, AccountEvent, Account> reader = new EnvelopeReader<>(EnvelopeSchema.of(upcasting));
    private final EnvelopeWriter<AccountCommand, AccountEvent, Account> writer = new EnvelopeWriter<>(EnvelopeSchema.of(upcasting));

    @Test
    void shouldWriteTheTypeVersionAfterTheTypeOnlyAboveTheFirst() {
        Event<AccountEvent> opened = new Event<>("acc-1", 1, "c-1", AT, new AccountEvent.Opened("Zoe"));
        Event<AccountEvent> deposited = new Event<>("acc-1", 2, "c-1", AT, new AccountEvent.Deposited(12));
        Command<AccountCommand> open = new Command<>("c-1", "acc-1", ExpectedVersion.any(), new AccountCommand.Open("Zoe"), Map.of());

        assertThat(writer.event(opened)).isEqualTo(new EnvelopeWriter<>(EnvelopeSchema.of(plain)).event(opened));
        assertThat(writer.command(open)).isEqualTo(new EnvelopeWriter<>(EnvelopeSchema.of(plain)).command(open));
        assertThat(utf8(writer.event(deposited))).isEqualTo("{\"aggregateId\":\"acc-1\",\"version\":2,\"type\":\"Deposited\","
                + "\"typeVersion\":2,\"commandId\":\"c-1\",\"timestamp\":\"2026-11-22T08:00:00Z\",\"payload\":{\"amount\":12}}");
        assertThat(reader.readEvent(writer.event(deposited))).isEqualTo(deposited);
    }

    @Test
    void shouldReadARecordWithoutTypeVersionAsVersionOneAndUpcastIt() {
        assertThat(reader.readEvent(bytes(HEAD + "\"type\":\"Deposited\"," + TAIL + "\"payload\":{\"sum\":12}}")))
                .isEqualTo(new Event<>("acc-1", 3, "c-1", AT, new AccountEvent.Deposited(12)));
        assertThat(reader.readEvent(bytes(HEAD + "\"type\":\"Credited\"," + TAIL + "\"payload\":{\"amount\":5}}")).payload())
                .isEqualTo(new AccountEvent.Deposited(5));
        // Without upcasters, the same record reads as a Deposited of nothing: the defect upcasting removes.
        assertThat(plain.serdes().events().deserializer().deserialize("t",
                bytes(HEAD + "\"type\":\"Deposited\"," + TAIL + "\"payload\":{\"sum\":12}}")).payload())
                .isEqualTo(new AccountEvent.Deposited(0));
    }

    @Test
    void shouldReadANewerVersionOfAKnownTypeLeniently() {
        assertThat(reader.readEvent(bytes(HEAD + "\"type\":\"Deposited\",\"typeVersion\":7," + TAIL
                + "\"payload\":{\"amount\":12,\"currency\":\"EUR\"}}")).payload())
                .isEqualTo(new AccountEvent.Deposited(12));
    }

    @Test
    void shouldRefuseAnOlderVersionOfAKnownTypeThatNoUpcasterTakesFurther() {
        AggregateType<AccountCommand, AccountEvent, Account> fromTwo = AggregateType.builder("account", new AccountAggregate())
                .commands(AccountCommand.class).state(Account.class)
                .events(AccountEvent.class, Upcasters.builder().upcast("Deposited", 2, json -> json).build())
                .build();

        assertThatThrownBy(() -> fromTwo.serdes().events().deserializer().deserialize("t",
                bytes(HEAD + "\"type\":\"Deposited\"," + TAIL + "\"payload\":{\"sum\":12}}")))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessage("AccountEvent type 'Deposited' v1 cannot be read: no upcaster starts from v1 and its current version is 3");
    }

    @Test
    void shouldSplitAndDropStoredEventsKeepingTheStoredRecordsVersion() {
        byte[] transferred = bytes(HEAD + "\"type\":\"Transferred\"," + TAIL + "\"payload\":{\"amount\":4}}");
        byte[] audited = bytes(HEAD + "\"type\":\"Audited\"," + TAIL + "\"payload\":{}}");

        assertThat(upcasting.serdes().storedEvents().deserialize("t", transferred)).containsExactly(
                new Event<>("acc-1", 3, "c-1", AT, new AccountEvent.Withdrawn(4)),
                new Event<>("acc-1", 3, "c-1", AT, new AccountEvent.Deposited(4)));
        assertThat(upcasting.serdes().storedEvents().deserialize("t", audited)).isEmpty();
        assertThat(upcasting.serdes().storedEvents().deserialize("t", null)).isNull();
        assertThatThrownBy(() -> upcasting.serdes().events().deserializer().deserialize("t", transferred))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessage("event acc-1@3 of type 'Transferred' v1 upcasts to 2 events: read with serdes().storedEvents()");
        assertThatThrownBy(() -> upcasting.serdes().events().deserializer().deserialize("t", audited))
                .hasMessageContaining("upcasts to 0 events");
    }

    @Test
    void shouldUpcastTheEventsEmbeddedInAResult() {
        byte[] result = bytes("{\"kind\":\"ACCEPTED\",\"commandId\":\"c-1\",\"aggregateId\":\"acc-1\",\"version\":3,\"events\":["
                + HEAD + "\"type\":\"Transferred\"," + TAIL + "\"payload\":{\"amount\":4}}],"
                + "\"stateType\":\"Account\",\"state\":{\"status\":\"OPEN\",\"owner\":\"Zoe\",\"balance\":4}}");

        assertThat(reader.readResult(result)).isEqualTo(new CommandResult.Accepted<>("c-1", "acc-1", 3, List.of(
                new Event<>("acc-1", 3, "c-1", AT, new AccountEvent.Withdrawn(4)),
                new Event<>("acc-1", 3, "c-1", AT, new AccountEvent.Deposited(4))),
                new Account(Account.Status.OPEN, "Zoe", 4)));
        assertThat(reader.storedEventCount(result)).as("the audit matches results with the event records written").isEqualTo(1);
    }

    @Test
    void shouldUpcastCommandsAndRefuseOneThatDoesNotBecomeExactlyOne() {
        String head = "{\"commandId\":\"c-9\",\"aggregateId\":\"acc-1\",\"expectedVersion\":\"any\",";

        assertThat(reader.readCommand(bytes(head + "\"type\":\"Credit\",\"payload\":{\"amount\":3}}")).payload())
                .isEqualTo(new AccountCommand.Deposit(3));
        assertThatThrownBy(() -> reader.readCommand(bytes(head + "\"type\":\"Twice\",\"payload\":{}}")))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessage("command 'c-9' of type 'Twice' v1 upcasts to 2 commands; a command must upcast to exactly one");
    }

    @Test
    void shouldRefuseATypeVersionThatIsNotAPositiveNumber() {
        assertThatThrownBy(() -> reader.readEvent(bytes(HEAD + "\"type\":\"Opened\",\"typeVersion\":\"2\"," + TAIL
                + "\"payload\":{\"owner\":\"Zoe\"}}")))
                .hasMessage("event field 'typeVersion' must be a whole number of at least 1 but was \"2\"");
    }

    @Test
    void shouldCountANameAnUpcasterStartsFromAsKnown() {
        byte[] credited = bytes(HEAD + "\"type\":\"Credited\"," + TAIL + "\"payload\":{}}");

        assertThat(UnknownTypes.inEnvelope(upcasting.eventCodec(), upcasting.eventUpcasters(), credited)).isEmpty();
        assertThat(UnknownTypes.inEnvelope(upcasting.eventCodec(), credited)).containsExactly("Credited");
        byte[] result = bytes("{\"kind\":\"ACCEPTED\",\"events\":[{\"type\":\"Credited\"},{\"type\":\"Refunded\"}],\"stateType\":\"Account\"}");
        assertThat(UnknownTypes.inResult(upcasting.eventCodec(), upcasting.eventUpcasters(), upcasting.stateCodec(), result))
                .containsExactly("Refunded");
    }

    @Test
    void shouldRefuseAtBuildUpcastersThatDoNotFitTheCodecs() {
        assertThatThrownBy(() -> AggregateType.builder("account", new AccountAggregate())
                .commands(AccountCommand.class).state(Account.class)
                .events(AccountEvent.class, Upcasters.builder().rename("Credited", 1, "Deposit").build())
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("events upcasters: rename of 'Credited' v1 -> 'Deposit' v1 ends at 'Deposit' v1,"
                        + " which the events codec does not know and no upcaster continues from");
        assertThatThrownBy(() -> AggregateType.builder("account", new AccountAggregate())
                .events(AccountEvent.class).state(Account.class)
                .commands(AccountCommand.class, Upcasters.builder().rename("Credit", 1, "Deposit", 2).build())
                .build())
                .hasMessageStartingWith("commands upcasters: rename of 'Credit' v1 -> 'Deposit' v2 ends at 'Deposit' v2,"
                        + " above its current version 1");
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
