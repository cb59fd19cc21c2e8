package io.eventfold.kafka.internal;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.SnapshotVersionException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshots and results carry the state version they were written with; another version is never read as current. */
class StateVersionEnvelopeTest {

    private static final Instant AT = Instant.parse("2026-11-22T08:00:00Z");

    private final AggregateType<AccountCommand, AccountEvent, Account> v1 = type(1);
    private final AggregateType<AccountCommand, AccountEvent, Account> v2 = type(2);
    private final Account state = new Account(Account.Status.OPEN, "Zoe", 12);
    private final Snapshot<Account> snapshot = new Snapshot<>("acc-1", 2, state);
    private final CommandResult<AccountEvent, Account> accepted = new CommandResult.Accepted<>("c-1", "acc-1", 1,
            List.of(new Event<>("acc-1", 1, "c-1", AT, new AccountEvent.Opened("Zoe"))), state);

    @Test
    void shouldWriteTheStateVersionOnlyAboveTheFirst() {
        assertThat(utf8(v1.serdes().snapshots().serializer().serialize("t", snapshot))).doesNotContain("stateVersion");
        assertThat(utf8(v2.serdes().snapshots().serializer().serialize("t", snapshot)))
                .isEqualTo("{\"aggregateId\":\"acc-1\",\"version\":2,\"type\":\"Account\",\"stateVersion\":2,"
                        + "\"state\":{\"status\":\"OPEN\",\"owner\":\"Zoe\",\"balance\":12}}");
        assertThat(utf8(v2.serdes().results().serializer().serialize("t", accepted)))
                .contains("\"stateType\":\"Account\",\"stateVersion\":2,\"state\":");
    }

    @Test
    void shouldReadItsOwnVersionBack() {
        assertThat(v2.serdes().snapshots().deserializer().deserialize("t", v2.serdes().snapshots().serializer().serialize("t", snapshot)))
                .isEqualTo(snapshot);
        assertThat(v2.serdes().results().deserializer().deserialize("t", v2.serdes().results().serializer().serialize("t", accepted)))
                .isEqualTo(accepted);
    }

    @Test
    void shouldRefuseASnapshotOfAnOlderVersionNamingTheAggregateAndBothVersions() {
        byte[] old = v1.serdes().snapshots().serializer().serialize("t", snapshot);

        assertThatThrownBy(() -> v2.serdes().snapshots().deserializer().deserialize("t", old))
                .isInstanceOfSatisfying(SnapshotVersionException.class, e -> {
                    assertThat(e.aggregateId()).isEqualTo("acc-1");
                    assertThat(e.storedVersion()).isEqualTo(1);
                    assertThat(e.currentVersion()).isEqualTo(2);
                })
                .hasMessageContaining("snapshot of aggregate 'acc-1' was written with state version 1 but the current state version is 2");
    }

    @Test
    void shouldRefuseASnapshotOrResultOfANewerVersion() {
        assertThatThrownBy(() -> v1.serdes().snapshots().deserializer().deserialize("t",
                v2.serdes().snapshots().serializer().serialize("t", snapshot)))
                .isInstanceOf(SnapshotVersionException.class).hasMessageContaining("newer build");
        assertThatThrownBy(() -> v1.serdes().results().deserializer().deserialize("t",
                v2.serdes().results().serializer().serialize("t", accepted)))
                .isInstanceOf(SnapshotVersionException.class).hasMessageContaining("result of aggregate 'acc-1'");
    }

    @Test
    void shouldRefuseAStateVersionThatIsNotAPositiveNumber() {
        byte[] bad = "{\"aggregateId\":\"acc-1\",\"version\":2,\"type\":\"Account\",\"stateVersion\":0,\"state\":{}}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> v1.serdes().snapshots().deserializer().deserialize("t", bad))
                .hasMessageContaining("field 'stateVersion' must be a whole number of at least 1 but was 0");
    }

    private static AggregateType<AccountCommand, AccountEvent, Account> type(int stateVersion) {
        return AggregateType.builder("account", new AccountAggregate())
                .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class, stateVersion).build();
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
