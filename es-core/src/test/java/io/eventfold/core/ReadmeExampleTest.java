package io.eventfold.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The aggregate and test shown in the README, kept compiling and passing. */
class ReadmeExampleTest {

    record Deposit(long amount) {}
    record Deposited(long amount) {}

    Aggregate<Deposit, Deposited, Long> account = Aggregate.of(
            0L,
            (deposit, balance) -> deposit.amount() <= 0
                    ? Decision.reject("INVALID_AMOUNT", "a deposit must be positive")
                    : Decision.accept(new Deposited(deposit.amount())),
            (balance, deposited) -> balance + deposited.amount());

    @Test
    void shouldRejectANegativeDeposit() {
        CommandEngine<Deposit, Deposited, Long> engine = CommandEngine.of(account);

        Outcome<Deposited, Long> outcome = engine.handle(
                Snapshot.initial("acc-1", account), Command.of("acc-1", new Deposit(-5)), Instant.now());

        assertThat(outcome.result()).isInstanceOf(CommandResult.Rejected.class);
        assertThat(outcome.snapshot().version()).isZero();
    }
}
