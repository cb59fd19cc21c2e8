package io.eventfold.kafka.internal;

import io.eventfold.kafka.AggregateType;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The envelopes of an outcome are written once per payload and match the single-envelope writes byte for byte. */
class EnvelopeWriterTest {

    private static final Instant AT = Instant.parse("2026-11-22T08:00:00.123Z");
    /** Escapes and characters outside ASCII, which must survive being embedded as written. */
    private static final String OWNER = "Zo\u00eb \"Z\" \u00d6degaard \u20ac";

    private final AggregateType<AccountCommand, AccountEvent, Account> type = AggregateType.builder("account", new AccountAggregate())
            .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class).build();
    private final EnvelopeWriter<AccountCommand, AccountEvent, Account> writer =
            new EnvelopeWriter<>(EnvelopeSchema.of(type));
    private final EnvelopeReader<AccountCommand, AccountEvent, Account> reader =
            new EnvelopeReader<>(EnvelopeSchema.of(type));

    private final Account state = new Account(Account.Status.OPEN, OWNER, 12);
    private final Snapshot<Account> snapshot = new Snapshot<>("acc-\u00e9", 2, state);
    private final List<Event<AccountEvent>> events = List.of(
            new Event<>("acc-\u00e9", 1, "c-1", AT, new AccountEvent.Opened(OWNER)),
            new Event<>("acc-\u00e9", 2, "c-1", AT, new AccountEvent.Deposited(12)));
    private final CommandResult<AccountEvent, Account> accepted = new CommandResult.Accepted<>("c-1", "acc-\u00e9", 2, events, state);

    @Test
    void shouldWriteTheAcceptedResultAndSnapshotInTheDocumentedFormat() {
        assertThat(utf8(writer.result(accepted))).isEqualTo("{\"kind\":\"ACCEPTED\",\"commandId\":\"c-1\",\"aggregateId\":\"acc-\u00e9\",\"version\":2,\"events\":[{\"aggregateId\":\"acc-\u00e9\",\"version\":1,\"type\":\"Opened\",\"commandId\":\"c-1\",\"timestamp\":\"2026-11-22T08:00:00.123Z\",\"payload\":{\"owner\":\"Zo\u00eb \\\"Z\\\" \u00d6degaard \u20ac\"}},{\"aggregateId\":\"acc-\u00e9\",\"version\":2,\"type\":\"Deposited\",\"commandId\":\"c-1\",\"timestamp\":\"2026-11-22T08:00:00.123Z\",\"payload\":{\"amount\":12}}],\"stateType\":\"Account\",\"state\":{\"status\":\"OPEN\",\"owner\":\"Zo\u00eb \\\"Z\\\" \u00d6degaard \u20ac\",\"balance\":12}}");
        assertThat(utf8(writer.snapshot(snapshot))).isEqualTo("{\"aggregateId\":\"acc-\u00e9\",\"version\":2,\"type\":\"Account\",\"state\":{\"status\":\"OPEN\",\"owner\":\"Zo\u00eb \\\"Z\\\" \u00d6degaard \u20ac\",\"balance\":12}}");
    }

    @Test
    void shouldEscapeCharactersOutsideTheBasicPlaneAndUnpairedSurrogatesAsBefore() {
        String owner = "emoji \uD83D\uDE00 lone \uD800 end";
        Account account = new Account(Account.Status.OPEN, owner, 12);
        Event<AccountEvent> opened = new Event<>("acc-1", 1, "c-1", AT, new AccountEvent.Opened(owner));
        CommandResult<AccountEvent, Account> result = new CommandResult.Accepted<>("c-1", "acc-1", 1, List.of(opened), account);
        Snapshot<Account> written = new Snapshot<>("acc-1", 1, account);

        EnvelopeWriter.Written outcome = writer.outcome(List.of(opened), written, result);

        assertThat(utf8(writer.event(opened))).isEqualTo("{\"aggregateId\":\"acc-1\",\"version\":1,\"type\":\"Opened\",\"commandId\":\"c-1\",\"timestamp\":\"2026-11-22T08:00:00.123Z\",\"payload\":{\"owner\":\"emoji \\uD83D\\uDE00 lone \\uD800 end\"}}");
        assertThat(utf8(outcome.result())).isEqualTo("{\"kind\":\"ACCEPTED\",\"commandId\":\"c-1\",\"aggregateId\":\"acc-1\",\"version\":1,\"events\":[{\"aggregateId\":\"acc-1\",\"version\":1,\"type\":\"Opened\",\"commandId\":\"c-1\",\"timestamp\":\"2026-11-22T08:00:00.123Z\",\"payload\":{\"owner\":\"emoji \\uD83D\\uDE00 lone \\uD800 end\"}}],\"stateType\":\"Account\",\"state\":{\"status\":\"OPEN\",\"owner\":\"emoji \\uD83D\\uDE00 lone \\uD800 end\",\"balance\":12}}");
        assertThat(utf8(outcome.snapshot())).isEqualTo("{\"aggregateId\":\"acc-1\",\"version\":1,\"type\":\"Account\",\"state\":{\"status\":\"OPEN\",\"owner\":\"emoji \\uD83D\\uDE00 lone \\uD800 end\",\"balance\":12}}");
        assertThat(utf8(writer.command(new io.eventfold.core.Command<>("c-4", "acc-1", io.eventfold.core.ExpectedVersion.any(),
                new AccountCommand.Open(owner), java.util.Map.of())))).isEqualTo("{\"commandId\":\"c-4\",\"aggregateId\":\"acc-1\",\"expectedVersion\":\"any\",\"type\":\"Open\",\"payload\":{\"owner\":\"emoji \\uD83D\\uDE00 lone \\uD800 end\"}}");
        assertThat(reader.readResult(outcome.result())).isEqualTo(result);
    }

    @Test
    void shouldWriteAnOutcomeAsTheSingleEnvelopesWouldBe() {
        EnvelopeWriter.Written written = writer.outcome(events, snapshot, accepted);

        assertThat(written.events()).hasSize(2);
        assertThat(written.events().get(0)).isEqualTo(writer.event(events.get(0)));
        assertThat(written.events().get(1)).isEqualTo(writer.event(events.get(1)));
        assertThat(written.snapshot()).isEqualTo(writer.snapshot(snapshot));
        assertThat(written.result()).isEqualTo(writer.result(accepted));
        assertThat(reader.readResult(written.result())).isEqualTo(accepted);
    }

    @Test
    void shouldWriteAResultWhoseStateIsNotTheSnapshotsFromTheResult() {
        Account other = new Account(Account.Status.CLOSED, "someone else", 0);
        CommandResult<AccountEvent, Account> result = new CommandResult.Accepted<>("c-1", "acc-\u00e9", 2, events, other);

        EnvelopeWriter.Written written = writer.outcome(events, snapshot, result);

        assertThat(reader.readResult(written.result())).isEqualTo(result);
        assertThat(reader.readSnapshot(written.snapshot())).isEqualTo(snapshot);
    }

    @Test
    void shouldWriteNoSnapshotForAnUnchangedState() {
        CommandResult<AccountEvent, Account> unchanged = new CommandResult.Accepted<>("c-2", "acc-\u00e9", 2, List.of(), state);

        EnvelopeWriter.Written written = writer.outcome(List.of(), null, unchanged);

        assertThat(written.events()).isEmpty();
        assertThat(written.snapshot()).isNull();
        assertThat(written.result()).isEqualTo(writer.result(unchanged));
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
