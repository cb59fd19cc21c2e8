package io.eventfold.kafka;

import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class AggregateTypeTest {

    private AggregateType.Builder<AccountCommand, AccountEvent, Account> builder(String name) {
        return AggregateType.builder(name, new AccountAggregate())
                .commands(AccountCommand.class).events(AccountEvent.class).state(Account.class);
    }

    @Test
    void shouldDeriveTopicNamesAndDefaultsFromTheName() {
        AggregateType<AccountCommand, AccountEvent, Account> type = builder("account").build();

        assertThat(type.name()).isEqualTo("account");
        assertThat(type.topics()).isEqualTo(new TopicNames("account-commands", "account-events", "account-snapshots",
                "account-command-results", "account-commands-dlq"));
        assertThat(type.commandIdRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(type.commandCodec().typeNames()).contains("Open", "Misbehave");
        assertThat(type.stateCodec().typeNames()).containsExactly("Account");
        assertThat(type.engine().aggregate()).isSameAs(type.aggregate());
    }

    @Test
    void shouldOverrideTopicNames() {
        AggregateType<AccountCommand, AccountEvent, Account> type = builder("account")
                .topics(names -> names.withEvents("bank.account.events.v1").withDeadLetters("bank.account.dlq"))
                .build();

        assertThat(type.topics().events()).isEqualTo("bank.account.events.v1");
        assertThat(type.topics().deadLetters()).isEqualTo("bank.account.dlq");
        assertThat(type.topics().commands()).isEqualTo("account-commands");
    }

    @Test
    void shouldNameTheFieldOfEveryInvalidSetting() {
        assertThatIllegalArgumentException().isThrownBy(() -> builder("bank account"))
                .withMessage("name 'bank account' must be 1-100 of [a-zA-Z0-9._-]");
        assertThatNullPointerException().isThrownBy(() -> AggregateType.builder("account", new AccountAggregate())
                        .commands(AccountCommand.class).state(Account.class).build())
                .withMessage("events type must be set: call .events(…class) on the builder");
        assertThatIllegalArgumentException().isThrownBy(() -> builder("account").commandIdRetention(Duration.ofMillis(10)))
                .withMessage("commandIdRetention must be at least 1s but was PT0.01S");
        assertThatIllegalArgumentException().isThrownBy(() -> TopicNames.forType("account").withEvents("account-commands"))
                .withMessageStartingWith("topic names must differ from each other");
        assertThatIllegalArgumentException().isThrownBy(() -> TopicNames.forType("account").withSnapshots("snap shots"))
                .withMessage("snapshots topic name 'snap shots' is not a legal Kafka topic name (1-249 of [a-zA-Z0-9._-])");
    }

    @Test
    void shouldRefuseTwoTypesWithTheSameNameOrTopicInOneTopology() {
        AggregateType<AccountCommand, AccountEvent, Account> one = builder("account").build();
        AggregateType<AccountCommand, AccountEvent, Account> sameName = builder("account").build();
        AggregateType<AccountCommand, AccountEvent, Account> sameTopic = builder("savings")
                .topics(names -> names.withEvents("account-events")).build();

        assertThatIllegalArgumentException().isThrownBy(() -> EventSourcedTopology.of(one, sameName))
                .withMessage("two aggregate types are named 'account'");
        assertThatIllegalArgumentException().isThrownBy(() -> EventSourcedTopology.of(one, sameTopic))
                .withMessage("topic 'account-events' is used by aggregate types 'account' and 'savings'");
        assertThatIllegalArgumentException().isThrownBy(EventSourcedTopology::of)
                .withMessage("at least one aggregate type is needed");
        assertThatIllegalArgumentException().isThrownBy(() -> TopicLayout.of(one, sameTopic))
                .withMessage("topic 'account-events' is used by aggregate types 'account' and 'savings'");
    }

    @Test
    void shouldDescribeTheTopologyWithNamedNodesAndStores() {
        String description = EventSourcedTopology.of(builder("account").build()).describe().toString();

        assertThat(description)
                .contains("account-commands-source", "account-command-processor", "account-outputs")
                .contains("account-snapshot-store", "account-command-id-store")
                .doesNotContain("expiry");
    }
}
