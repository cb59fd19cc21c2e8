package io.eventfold.testkit;

import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.Deposit;
import io.eventfold.core.account.AccountCommand.Open;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.Deposited;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.json.Upcasters;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.eventfold.testkit.Accounts.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompatibilityCorpusTest {

    @Test
    void shouldPassACorpusTheTypeStillReads() {
        CompatibilityCorpus.Summary summary = CompatibilityCorpus.of(Accounts.TYPE)
                .events("corpus/accounts/good")
                .commands("corpus/accounts/good")
                .verify();

        assertThat(summary.histories()).isEqualTo(2);
        assertThat(summary.events()).isEqualTo(5);
        assertThat(summary.commands()).isEqualTo(2);
        assertThat(summary.statesCompared()).isEqualTo(1);
        assertThat(summary.eventTypes()).isEqualTo(Set.of("Opened", "Deposited", "Withdrawn", "Closed"));
        assertThat(summary.commandTypes()).isEqualTo(Set.of("Open", "Deposit"));
    }

    @Test
    void shouldReportEveryProblemOfEveryFileWithItsFileLineTypeAndField() {
        assertThatThrownBy(() -> CompatibilityCorpus.of(Accounts.TYPE)
                .events("corpus/accounts/broken")
                .commands("corpus/accounts/broken")
                .verify())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the compatibility corpus of 'account' has 8 problems:")
                .hasMessageContaining("corpus/accounts/broken/ACC-3.events.jsonl, line 2 (Deposited v1): /amuont: ")
                .hasMessageContaining("corpus/accounts/broken/ACC-3.events.jsonl, line 2 (Deposited v1): /amount: missing (read as 0)")
                .hasMessageContaining("corpus/accounts/broken/ACC-3.events.jsonl, line 3 (Withdrawn v1): /version: 4 but the history needs 3")
                .hasMessageContaining("corpus/accounts/broken/ACC-3.state.json (the fold of the events, written as a snapshot): /state/balance: 30 but written back as -20")
                .hasMessageContaining("corpus/accounts/broken/ACC-4.events.jsonl, line 2 (Poisoned v1): the fold threw java.lang.ArithmeticException: evolve exploded")
                .hasMessageContaining("corpus/accounts/broken/ACC-4.events.jsonl, line 3 (Refunded v1): unknown AccountEvent type 'Refunded'")
                .hasMessageContaining("corpus/accounts/broken/ACC-3.commands.jsonl, line 1 (Open v1): /nickname: ");
    }

    private static AggregateType<AccountCommand, AccountEvent, Account> upcasting(String field) {
        return AggregateType.builder("account", new AccountAggregate())
                .commands(AccountCommand.class)
                .events(AccountEvent.class, Upcasters.builder()
                        .rename("Credited", 1, "Deposited")
                        .upcast("Deposited", 1, json -> {
                            json.set(field, json.remove("amt"));
                            return json;
                        })
                        .build())
                .state(Account.class)
                .build();
    }

    @Test
    void shouldUpcastEachRecordBeforeReadingIt() {
        CompatibilityCorpus.Summary summary = CompatibilityCorpus.of(upcasting("amount")).events("corpus/accounts/renamed").verify();

        assertThat(summary.eventTypes()).isEqualTo(Set.of("Opened", "Deposited", "Credited"));
    }

    @Test
    void shouldNameTheVersionChainAndTheFieldABrokenUpcasterGetsWrong() {
        assertThatThrownBy(() -> CompatibilityCorpus.of(upcasting("amout")).events("corpus/accounts/renamed").verify())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("corpus/accounts/renamed/ACC-5.events.jsonl, line 2 (Deposited v1 → v2): /amout: 50 is not read (no such property)")
                .hasMessageContaining("corpus/accounts/renamed/ACC-5.events.jsonl, line 2 (Deposited v1 → v2): /amount: missing (read as 0)")
                .hasMessageContaining("corpus/accounts/renamed/ACC-5.events.jsonl, line 3 (Credited v1 → Deposited v2): /amount: missing (read as 0)")
                .hasMessageContaining("corpus/accounts/renamed/ACC-5.state.json (the fold of the events, written as a snapshot): /state/balance: 60 but written back as 3")
                .hasMessageNotContaining("line 4");
    }

    @Test
    void shouldStartAScenarioFromStoredEventsThroughTheUpcasters() {
        AggregateFixture.of(upcasting("amount"))
                .givenStored("corpus/accounts/renamed/ACC-5.events.jsonl")
                .when(new Deposit(5))
                .thenVersion(5)
                .thenState(open("erin", 65));
    }

    @Test
    void shouldTolerateAFieldOnlyWhereItIsToldTo() {
        assertThatThrownBy(() -> CompatibilityCorpus.of(Accounts.TYPE)
                .events("corpus/accounts/broken")
                .commands("corpus/accounts/broken")
                .tolerating("Deposited", "/amuont")
                .tolerating("Deposited", "/amount")
                .tolerating("Withdrawn", "/nickname")
                .verify())
                .hasMessageContaining("has 6 problems:")
                .hasMessageNotContaining("/amuont")
                .hasMessageNotContaining("/amount: missing")
                .hasMessageContaining("(Open v1): /nickname: \"caz\" is not read");
        assertThatThrownBy(() -> CompatibilityCorpus.of(Accounts.TYPE).tolerating("Deposited", "amount"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON pointer");
    }

    @Test
    void shouldRefuseALocationWithoutFiles() {
        assertThatThrownBy(() -> CompatibilityCorpus.of(Accounts.TYPE).commands("corpus/accounts").verify())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'corpus/accounts' holds no *.commands.jsonl file");
    }

    @Test
    void shouldStartAScenarioFromStoredEventsOnBothRunners() {
        AggregateFixture.of(Accounts.TYPE)
                .givenStored("corpus/accounts/good/ACC-1.events.jsonl")
                .when(new Deposit(5))
                .thenEvents(new Deposited(5))
                .thenVersion(4)
                .thenState(open("alice", 35));
    }

    @Test
    void shouldNameTheFileAndLineOfAStoredEventItCannotRead() {
        assertThatThrownBy(() -> AggregateFixture.of(Accounts.TYPE).givenStored("corpus/accounts/broken/ACC-4.events.jsonl"))
                .isInstanceOf(FixtureConfigurationException.class)
                .hasMessageStartingWith("givenStored: corpus/accounts/broken/ACC-4.events.jsonl, line 3: cannot be read: ")
                .hasMessageContaining("Refunded");
        assertThatThrownBy(() -> AggregateFixture.of(Accounts.TYPE).givenStored("corpus/accounts/broken/ACC-3.events.jsonl"))
                .isInstanceOf(FixtureConfigurationException.class)
                .hasMessage("givenStored: corpus/accounts/broken/ACC-3.events.jsonl, line 3 has version 4 but the history needs 3"
                        + " (versions are 1, 2, 3… without gaps)");
        assertThatThrownBy(() -> AggregateFixture.pure(Accounts.TYPE.aggregate()).givenStored("corpus/accounts/good/ACC-1.events.jsonl"))
                .isInstanceOf(FixtureConfigurationException.class)
                .hasMessageContaining("use AggregateFixture.of(type)");
    }

    @Test
    void shouldStartFromTheStoredAggregateId() {
        AggregateFixture.of(Accounts.TYPE)
                .givenStored("corpus/accounts/good/ACC-2.events.jsonl")
                .when(new Open("bob"))
                .thenRejected("ALREADY_OPEN");
    }
}
