package io.eventfold.core;

import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.DepositInParts;
import io.eventfold.core.account.AccountEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who sent a command and in answer to what, on every event of it: metadata, causation and correlation. */
class EventMetadataTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:15:30Z");
    private static final Snapshot<Account> OPEN = new Snapshot<>("acc-1", 2, new Account(Account.Status.OPEN, "alice", 10));

    private static Command<AccountCommand> deposit(String commandId, Map<String, String> metadata) {
        return new Command<>(commandId, "acc-1", ExpectedVersion.any(), new DepositInParts(List.of(1L, 2L)), metadata);
    }

    @Test
    void shouldStampEveryEventWithTheCommandsMetadataCausationAndACorrelationStartingWithIt() {
        Outcome<AccountEvent, Account> outcome = CommandEngine.of(new AccountAggregate())
                .handle(OPEN, deposit("c1", Map.of("user", "alice", "tenant", "acme")), NOW);

        assertThat(outcome.events()).hasSize(2).allSatisfy(event -> {
            assertThat(event.metadata()).isEqualTo(Map.of("user", "alice", "tenant", "acme"));
            assertThat(event.causationId()).isEqualTo("c1");
            assertThat(event.correlationId()).as("the command starts the chain").isEqualTo("c1");
        });
    }

    @Test
    void shouldCarryTheCorrelationOfTheChainTheCommandContinues() {
        Outcome<AccountEvent, Account> outcome = CommandEngine.of(new AccountAggregate())
                .handle(OPEN, deposit("c2", Map.of()).withCorrelationId("order-42"), NOW);

        assertThat(outcome.events()).extracting(Event::correlationId).containsOnly("order-42");
        assertThat(outcome.events()).extracting(Event::causationId).containsOnly("c2");
    }

    @Test
    void shouldKeepWhatThePolicyKeeps() {
        Map<String, String> metadata = Map.of("user", "alice", "trace", "t-1");

        assertThat(CommandEngine.of(new AccountAggregate(), MetadataPolicy.only("user")).handle(OPEN, deposit("c1", metadata), NOW).events())
                .extracting(Event::metadata).containsOnly(Map.of("user", "alice"));
        assertThat(CommandEngine.of(new AccountAggregate(), MetadataPolicy.none()).handle(OPEN, deposit("c1", metadata), NOW).events())
                .extracting(Event::metadata).containsOnly(Map.of());
        assertThat(CommandEngine.of(new AccountAggregate(), MetadataPolicy.all()).handle(OPEN, deposit("c1", metadata), NOW).events())
                .extracting(Event::metadata).containsOnly(metadata);
    }

    @Test
    void shouldFailACommandWithMetadataBeyondTheLimitsNamingTheKey() {
        Map<String, String> oversized = Map.of("comment", "x".repeat(CommandMetadata.MAX_VALUE_LENGTH + 1));

        Outcome<AccountEvent, Account> outcome = CommandEngine.of(new AccountAggregate()).handle(OPEN, deposit("c9", oversized), NOW);

        assertThat(outcome.changed()).isFalse();
        assertThat(outcome.result()).isInstanceOfSatisfying(CommandResult.Failed.class, failed -> {
            assertThat(failed.errorType()).isEqualTo(InvalidMetadataException.class.getName());
            assertThat(failed.message()).isEqualTo("command c9 for acc-1: metadata[comment] has 1025 characters, at most 1024 are allowed");
        });
    }

    @Test
    void shouldKeepNothingOfMetadataBeyondTheLimits() {
        // A failed command's result record carries what the policy keeps: never what made it fail.
        assertThat(MetadataPolicy.all().apply(Map.of("user", "alice", "note", "x".repeat(CommandMetadata.MAX_VALUE_LENGTH + 1))))
                .isEmpty();
        assertThat(MetadataPolicy.only("user").apply(Map.of("user", "alice", "bad key", "v"))).isEmpty();
    }

    @Test
    void shouldFailEvenWhenThePolicyWouldDropTheOffendingKey() {
        // The limits are the command's, whatever its events keep: the same command is refused the same everywhere.
        Outcome<AccountEvent, Account> outcome = CommandEngine.of(new AccountAggregate(), MetadataPolicy.none())
                .handle(OPEN, deposit("c9", Map.of("bad key", "v")), NOW);

        assertThat(outcome.result().kind()).isEqualTo(CommandResult.Kind.FAILED);
    }

    @Test
    void shouldAcceptMetadataAtEveryLimit() {
        Map<String, String> mostEntries = new HashMap<>();
        for (int i = 0; i < CommandMetadata.MAX_ENTRIES; i++) {
            mostEntries.put("k" + i, "v");
        }
        // 4 keys of 1 byte and 4 values of 1,023 bytes: exactly 4,096 bytes, each value at most 1,024 characters.
        Map<String, String> mostBytes = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            mostBytes.put(Integer.toString(i), "x".repeat(1023));
        }
        Map<String, String> oneByteMore = new HashMap<>(mostBytes);
        oneByteMore.put("0", "x".repeat(1024));

        assertThat(CommandMetadata.problem(mostEntries)).isEmpty();
        assertThat(CommandMetadata.problem(Map.of("k".repeat(CommandMetadata.MAX_KEY_LENGTH), "v"))).isEmpty();
        assertThat(CommandMetadata.problem(Map.of("note", "x".repeat(CommandMetadata.MAX_VALUE_LENGTH)))).isEmpty();
        assertThat(CommandMetadata.problem(mostBytes)).isEmpty();
        assertThat(CommandMetadata.problem(oneByteMore)).contains("metadata has 4097 bytes of keys and values, at most 4096 are"
                + " allowed: it is copied to every event of the command");
        assertThat(CommandMetadata.problem(Map.of())).isEmpty();
    }

    @Test
    void shouldNameEachBrokenLimit() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= CommandMetadata.MAX_ENTRIES; i++) {
            many.put("k" + i, "v");
        }
        Map<String, String> heavy = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            heavy.put("k" + i, "é".repeat(500));
        }

        assertThat(CommandMetadata.problem(Map.of("user", "alice"))).isEmpty();
        assertThat(CommandMetadata.problem(many)).contains("metadata has 33 entries, at most 32 are allowed");
        assertThat(CommandMetadata.problem(Map.of("-user", "a"))).get().asString().startsWith("metadata key '-user' is not 1 to 64");
        assertThat(CommandMetadata.problem(Map.of("k".repeat(65), "a"))).get().asString().contains("is not 1 to 64");
        assertThat(CommandMetadata.problem(Map.of("user", " "))).contains("metadata[user] is blank");
        assertThat(CommandMetadata.problem(Map.of("user", "a\uD800"))).get().asString().contains("unpaired surrogate");
        assertThat(CommandMetadata.problem(heavy)).contains("metadata has 5010 bytes of keys and values, at most 4096 are allowed:"
                + " it is copied to every event of the command");
        assertThatThrownBy(() -> CommandMetadata.check(Map.of("user", ""))).isInstanceOf(InvalidMetadataException.class)
                .hasMessage("metadata[user] is blank");
    }

    @Test
    void shouldTakeACorrelationIdEqualToTheCommandIdAsStartingTheChain() {
        Command<AccountCommand> explicit = deposit("c1", Map.of()).withCorrelationId("c1");

        assertThat(explicit).isEqualTo(deposit("c1", Map.of()));
        assertThat(explicit.correlationId()).isNull();
        assertThat(explicit.correlation()).isEqualTo("c1");
    }

    @Test
    void shouldReadAnEventWithoutMetadataAsTheStartOfItsChain() {
        Event<String> old = new Event<>("acc-1", 1, "c1", NOW, "Opened");

        assertThat(old.correlationId()).isEqualTo("c1");
        assertThat(old.metadata()).isEmpty();
        assertThat(old).isEqualTo(new Event<>("acc-1", 1, "c1", NOW, "Opened", null, null));
    }
}
