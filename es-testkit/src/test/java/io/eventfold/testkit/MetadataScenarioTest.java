package io.eventfold.testkit;

import io.eventfold.core.CommandMetadata;
import io.eventfold.core.InvalidMetadataException;
import io.eventfold.core.MetadataPolicy;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.*;
import io.eventfold.kafka.AggregateType;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Commands sent with metadata and a correlation id, and the expectations on what their events
 * carry. With {@code AggregateFixture.of(type)} every scenario passes the fixture's checks too:
 * the events read back from the events topic equal the engine's, metadata and correlation id
 * included, and their records carry both in their headers.
 */
class MetadataScenarioTest {

    private static final Map<String, String> WHO = Map.of("user", "alice", "trace", "t-1");

    private static final AggregateType<AccountCommand, AccountEvent, Account> ONLY_USER =
            AggregateType.builder("account", new AccountAggregate())
                    .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class)
                    .metadata(MetadataPolicy.only("user"))
                    .build();

    private final AggregateFixture<AccountCommand, AccountEvent, Account> fixture = AggregateFixture.of(Accounts.TYPE);

    @Test
    void shouldCarryTheScenariosMetadataAndCorrelationIdToEveryEventOnBothRunners() {
        fixture.given(new Opened("alice"))
                .withMetadata(WHO)
                .withCorrelationId("order-7")
                .when(new DepositInParts(List.of(2L, 3L)))
                .thenEvents(new Deposited(2), new Deposited(3))
                .thenEventMetadata(WHO)
                .thenEventMetadata(metadata -> assertThat(metadata).containsEntry("user", "alice"))
                .thenCorrelationId("order-7")
                .and()
                .when(new Deposit(1))                       // the scenario's settings last until changed
                .thenEventMetadata(WHO)
                .thenCorrelationId("order-7")
                .and()
                .withMetadata(Map.of())
                .withCorrelationId(null)
                .when(new Deposit(1))
                .thenEventMetadata(Map.of())
                .thenCorrelationId("command-3");
    }

    @Test
    void shouldStartAChainWithEachCommandByDefault() {
        fixture.given(new Opened("alice"))
                .when(new Deposit(5))
                .thenEventMetadata(Map.of())
                .thenCorrelationId("command-1");
    }

    @Test
    void shouldSendTheMetadataOfOneWhenWithThatCommandOnly() {
        fixture.given(new Opened("alice"))
                .withMetadata(Map.of("user", "bob"))
                .when(new Deposit(5), WHO)
                .thenEventMetadata(WHO)
                .and()
                .when(new Deposit(1))
                .thenEventMetadata(Map.of("user", "bob"));
    }

    @Test
    void shouldSendGivenCommandsWithTheFixturesMetadataAndCorrelationId() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .withMetadata(Map.of("user", "alice"))
                .withCorrelationId("order-7")
                .givenCommands(new Open("alice"))
                .when(new Deposit(5))
                .thenEventMetadata(WHO));

        assertThat(error.getMessage()).contains("""
                Scenario
                  given
                    1. command Open[owner=alice] (expected version any, command id command-1, correlation id order-7, metadata {user=alice}) → accepted at version 1 with 1 event
                  when
                    Deposit[amount=5] (expected version any, command id command-2, correlation id order-7, metadata {user=alice})
                """);
    }

    @Test
    void shouldDropWhatThePolicyDropsOnBothRunners() {
        AggregateFixture.of(ONLY_USER)
                .given(new Opened("alice"))
                .when(new Deposit(5), WHO)
                .thenEventMetadata(Map.of("user", "alice"));

        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> AggregateFixture.of(ONLY_USER)
                .given(new Opened("alice"))
                .when(new Deposit(5), WHO)
                .thenEventMetadata(WHO));
        assertThat(error.getMessage()).startsWith("event metadata mismatch [pure ✘ | topology ✘]")
                .contains("First difference: event #1 (version 2) metadata[trace]: expected \"t-1\" but was null");
    }

    @Test
    void shouldAnswerOversizedMetadataWithAFailureOnBothRunners() {
        Map<String, String> tooMany = new HashMap<>();
        for (int i = 0; i <= CommandMetadata.MAX_ENTRIES; i++) {
            tooMany.put("key-" + i, "value");
        }
        fixture.given(new Opened("alice"))
                .when(new Deposit(5), Map.of("note", "x".repeat(CommandMetadata.MAX_VALUE_LENGTH + 1)))
                .thenFailed(InvalidMetadataException.class)
                .thenNoEvents()
                .thenVersion(1)
                .and()
                .withMetadata(tooMany)
                .when(new Deposit(5))
                .thenFailed(InvalidMetadataException.class)
                .thenResult(result -> assertThat(((io.eventfold.core.CommandResult.Failed<?, ?>) result).message())
                        .isEqualTo("command command-2 for account-1: metadata has 33 entries, at most 32 are allowed"));

        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> fixture
                .given(new Opened("alice"))
                .when(new Deposit(5), Map.of("note", "x".repeat(CommandMetadata.MAX_VALUE_LENGTH + 1)))
                .thenAccepted());
        assertThat(error.getMessage()).startsWith("expected the command to be accepted [pure ✘ | topology ✘]")
                .contains("failed io.eventfold.core.InvalidMetadataException: command command-1 for account-1:"
                        + " metadata[note] has 1025 characters, at most 1024 are allowed");
    }

    @Test
    void shouldSeeMetadataInAPureFixture() {
        AggregateFixture.pure(new AccountAggregate())
                .withMetadata(WHO)
                .givenNothing()
                .withCorrelationId("order-7")
                .when(new Open("alice"))
                .thenEventMetadata(WHO)
                .thenCorrelationId("order-7");
    }

    @Test
    void shouldRefuseMetadataAndCorrelationIdsNoCommandCanCarry() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("user", null);

        assertThatThrownBy(() -> fixture.withMetadata(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("metadata must not be null");
        assertThatThrownBy(() -> fixture.givenNothing().withMetadata(nullValue)).isInstanceOf(NullPointerException.class)
                .hasMessage("metadata[user] must not be null");
        assertThatThrownBy(() -> fixture.givenNothing().when(new Open("alice"), nullValue)).isInstanceOf(NullPointerException.class)
                .hasMessage("metadata[user] must not be null");
        assertThatThrownBy(() -> fixture.withCorrelationId(" ")).isInstanceOf(FixtureConfigurationException.class)
                .hasMessage("a correlation id must not be blank: use null for commands that start their own chain");
        assertThatThrownBy(() -> fixture.givenNothing().withCorrelationId("")).isInstanceOf(FixtureConfigurationException.class);
    }
}
